package io.wimse4j.core.wpt;

/** The HTTP header names of the protocol, in lower case (header names are case-insensitive). */
public final class WimseHeaders {
    /** Carries the WIT (WIT-10). */
    public static final String WORKLOAD_IDENTITY_TOKEN = "workload-identity-token";
    /** Carries the WPT (WPT-1). */
    public static final String WORKLOAD_PROOF_TOKEN = "workload-proof-token";
    /** Carries an OAuth access token bound through {@code ath} (WPT-8). */
    public static final String AUTHORIZATION = "authorization";
    /** Carries a Txn-Token bound through {@code tth} (WPT-9). */
    public static final String TXN_TOKEN = "txn-token";

    private WimseHeaders() {
    }

    /**
     * True when lower-case header {@code name} has a binding of its own (the two WIMSE headers,
     * {@code Authorization} through {@code ath}, {@code Txn-Token} through {@code tth}), so it can
     * never be an {@code oth} entry (WPT-10).
     */
    public static boolean hasOwnBinding(String name) {
        return name.equals(AUTHORIZATION) || name.equals(TXN_TOKEN)
                || name.equals(WORKLOAD_IDENTITY_TOKEN) || name.equals(WORKLOAD_PROOF_TOKEN);
    }

    /**
     * The OAuth access token in an {@code Authorization} value with scheme {@code Bearer} or
     * {@code DPoP} (case-insensitive), or {@code null} for any other scheme.
     */
    public static String accessToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String v = authorization.trim();
        int sp = 0;
        while (sp < v.length() && v.charAt(sp) != ' ' && v.charAt(sp) != '\t') {
            sp++;
        }
        if (sp == 0 || sp == v.length()) {
            return null;
        }
        String scheme = v.substring(0, sp);
        if (!scheme.equalsIgnoreCase("Bearer") && !scheme.equalsIgnoreCase("DPoP")) {
            return null;
        }
        String token = v.substring(sp + 1).trim();
        return token.isEmpty() ? null : token;
    }
}
