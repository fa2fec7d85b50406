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
     * The authentication scheme of an {@code Authorization} value as written: after optional leading
     * whitespace, up to the first space, tab or comma (empty for an empty value).
     */
    public static String authorizationScheme(String authorization) {
        int from = 0;
        while (from < authorization.length() && (authorization.charAt(from) == ' ' || authorization.charAt(from) == '\t')) {
            from++;
        }
        int i = from;
        while (i < authorization.length() && authorization.charAt(i) != ' ' && authorization.charAt(i) != '\t'
                && authorization.charAt(i) != ',') {
            i++;
        }
        return authorization.substring(from, i);
    }

    /**
     * True when an {@code Authorization} value uses wpt-02's {@code WPT} scheme (any case), however
     * malformed what follows (P2-1): such a request is proved with a WPT, never by a bearer token (P2-3).
     */
    public static boolean isWptAuthorization(String authorization) {
        return authorization != null && schemeIs(authorization, WptTransport.SCHEME);
    }

    /** True when the scheme of {@code authorization} is {@code scheme} (any case), read without copying it. */
    static boolean schemeIs(String authorization, String scheme) {
        int from = 0;
        while (from < authorization.length() && (authorization.charAt(from) == ' ' || authorization.charAt(from) == '\t')) {
            from++;
        }
        int end = from + scheme.length();
        if (!authorization.regionMatches(true, from, scheme, 0, scheme.length())) {
            return false;
        }
        if (end == authorization.length()) {
            return true;
        }
        char c = authorization.charAt(end);
        return c == ' ' || c == '\t' || c == ',';
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
