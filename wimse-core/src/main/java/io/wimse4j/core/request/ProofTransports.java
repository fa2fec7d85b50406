package io.wimse4j.core.request;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.core.wpt.WimseHeaders;
import io.wimse4j.core.wpt.WptTransport;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the WPT of a request in the transports a receiver accepts (WPT-1/V-1 and P2-1..P2-3) and
 * decides how a failure is answered (V-14, P2-4). Immutable and thread-safe.
 */
final class ProofTransports {
    /** Separates the scheme, token and parameters of an {@code Authorization} value. */
    private static final Pattern AUTHORIZATION_PARTS = Pattern.compile("[\\s,]+");

    /** The WPT, and under the seed transport the access token bound through {@code ath}. */
    record Presented(WptTransport transport, String wpt, String accessToken) {
        @Override
        public String toString() {
            return "Presented[" + transport + "]";
        }
    }

    private final Set<WptTransport> accepted;
    /** Longest proof-carrying header value scanned: a token at the limit, its scheme and some whitespace. */
    private final int maxValueLength;

    ProofTransports(Set<WptTransport> accepted, int maxTokenLength) {
        this.accepted = EnumSet.copyOf(accepted);
        this.maxValueLength = maxTokenLength + 64;
    }

    Set<WptTransport> accepted() {
        return Set.copyOf(accepted);
    }

    /**
     * The transport whose rules answer {@code facts}: the one it uses when this receiver accepts it;
     * otherwise (another transport, or no proof at all) the wpt-02 one when accepted, so that a 401
     * tells the caller which scheme to use, and else the seed one.
     */
    WptTransport answering(HttpRequestFacts facts) {
        WptTransport used = !facts.values(WimseHeaders.WORKLOAD_PROOF_TOKEN).isEmpty() ? WptTransport.WORKLOAD_PROOF_TOKEN
                : hasWptScheme(facts.values(WimseHeaders.AUTHORIZATION)) ? WptTransport.AUTHORIZATION : null;
        if (used != null && accepted.contains(used)) {
            return used;
        }
        return accepted.contains(WptTransport.AUTHORIZATION) ? WptTransport.AUTHORIZATION : WptTransport.WORKLOAD_PROOF_TOKEN;
    }

    /** {@code failure} as answered under {@code transport}: a credential failure of wpt-02 challenges (P2-4). */
    static WimseException answer(WimseException failure, WptTransport transport) {
        return transport == WptTransport.AUTHORIZATION && failure.reason().isCredentialFailure()
                && failure.challenge().isEmpty() ? failure.challenging(WptTransport.SCHEME) : failure;
    }

    /** The proof of {@code facts} in {@code transport} (from {@link #answering}); {@code wit} is the request's WIT. */
    Presented presented(HttpRequestFacts facts, WptTransport transport, String wit) throws WimseException {
        List<String> proofHeader = facts.values(WimseHeaders.WORKLOAD_PROOF_TOKEN);
        List<String> authorization = facts.values(WimseHeaders.AUTHORIZATION);
        for (String value : authorization) { // bounded before any scan
            if (value.length() > maxValueLength) {
                throw new WimseException(Reason.TOKEN_TOO_LARGE, "header 'Authorization' is longer than " + maxValueLength + " characters");
            }
        }
        boolean wptScheme = hasWptScheme(authorization);
        if (!proofHeader.isEmpty() && wptScheme) {
            throw new WimseException(Reason.TWO_PROOF_TRANSPORTS,
                    "the request carries a WPT both in 'Workload-Proof-Token' and in 'Authorization: WPT'; send one");
        }
        for (String value : authorization) {
            // WIT-9: the request's own WIT anywhere in Authorization, or any WIT as a bearer credential; a WIT
            // in 'Authorization: WPT' is not a bearer use and fails the WPT's typ check (V-5)
            if ((!wit.isEmpty() && value.contains(wit)) || (!isWptScheme(value) && containsWit(value))) {
                throw new WimseException(Reason.WIT_AS_BEARER, "the WIT must not be sent in 'Authorization' (WIT-9)");
            }
        }
        return transport == WptTransport.AUTHORIZATION ? authorization(facts, proofHeader, authorization, wptScheme)
                : seed(proofHeader, authorization, wptScheme);
    }

    private Presented seed(List<String> proofHeader, List<String> authorization, boolean wptScheme) throws WimseException {
        if (wptScheme) {
            throw new WimseException(Reason.PROOF_TRANSPORT_NOT_ACCEPTED,
                    "this service does not accept 'Authorization: WPT' (wpt-02); send the WPT in 'Workload-Proof-Token'");
        }
        if (proofHeader.isEmpty()) {
            throw new WimseException(Reason.MISSING_WPT, "the request has no 'Workload-Proof-Token' header");
        }
        if (proofHeader.size() > 1) {
            throw new WimseException(Reason.REPEATED_HEADER, "header 'Workload-Proof-Token' appears " + proofHeader.size() + " times");
        }
        if (authorization.size() > 1) {
            throw new WimseException(Reason.REPEATED_HEADER, "header 'Authorization' is repeated");
        }
        return new Presented(WptTransport.WORKLOAD_PROOF_TOKEN, proofHeader.get(0),
                authorization.isEmpty() ? null : WimseHeaders.accessToken(authorization.get(0)));
    }

    private static Presented authorization(HttpRequestFacts facts, List<String> proofHeader, List<String> authorization,
                                           boolean wptScheme) throws WimseException {
        if (!proofHeader.isEmpty()) {
            throw new WimseException(Reason.PROOF_TRANSPORT_NOT_ACCEPTED,
                    "this service does not accept 'Workload-Proof-Token' (the seed transport); send 'Authorization: WPT <token>'");
        }
        if (!wptScheme) {
            throw new WimseException(Reason.MISSING_WPT, authorization.isEmpty() ? "the request has no 'Authorization: WPT' header"
                    : "header 'Authorization' does not use the 'WPT' scheme (a Bearer token bound by 'ath' needs the seed"
                    + " transport, 'Workload-Proof-Token')");
        }
        if (authorization.size() > 1) { // P2-3 before P2-2: a credential beside the WPT is the worse fault
            for (String value : authorization) {
                String scheme = WimseHeaders.authorizationScheme(value);
                if (scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("Basic") || scheme.equalsIgnoreCase("DPoP")) {
                    throw new WimseException(Reason.BEARER_WITH_WPT, "a request proved with a WPT carries no " + scheme
                            + " credential; with 'Authorization: WPT' no bearer token authenticates the caller (P2-3)");
                }
            }
        }
        if (authorization.size() > 1) { // P2-2
            throw new WimseException(Reason.REPEATED_HEADER, "header 'Authorization' appears " + authorization.size() + " times");
        }
        String value = authorization.get(0);
        if (hasAccessTokenParameter(facts)) {
            throw new WimseException(Reason.BEARER_WITH_WPT,
                    "a request proved with a WPT carries no 'access_token' query parameter (RFC 6750 section 2.3; P2-3)");
        }
        return new Presented(WptTransport.AUTHORIZATION, credential(value), null);
    }

    /**
     * The token of {@code WPT 1*SP token} (P2-1): one compact JWT follows the scheme and one or more
     * spaces, with nothing after it but optional whitespace; its characters are left to the JWS parser,
     * so a bad token gets the same reason in both transports.
     */
    private static String credential(String value) throws WimseException {
        int i = leadingWhitespace(value) + WptTransport.SCHEME.length();
        int start = i;
        while (i < value.length() && value.charAt(i) == ' ') {
            i++;
        }
        int end = value.length();
        while (end > i && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        if (i == start || i == end) {
            throw new WimseException(Reason.MALFORMED_TOKEN, "'Authorization: WPT' carries no token");
        }
        String token = value.substring(i, end);
        for (int k = 0; k < token.length(); k++) {
            char c = token.charAt(k);
            if (c == ' ' || c == '\t' || c == ',') {
                throw new WimseException(Reason.MALFORMED_TOKEN,
                        "'Authorization: WPT' must hold exactly one compact JWT (P2-2), without parameters");
            }
        }
        return token;
    }

    private static int leadingWhitespace(String value) {
        int i = 0;
        while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isWptScheme(String value) {
        return WimseHeaders.isWptAuthorization(value);
    }

    private static boolean hasWptScheme(List<String> authorization) {
        for (String value : authorization) {
            if (isWptScheme(value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the query has an {@code access_token} parameter (RFC 6750 section 2.3), its name
     * percent-decoded, with {@code &} or {@code ;} between parameters; a name that cannot be decoded
     * counts as one, since a container might still read it as such. A form-encoded body (RFC 6750
     * section 2.2) is not seen here.
     */
    private static boolean hasAccessTokenParameter(HttpRequestFacts facts) {
        String query = facts.targetUri().getRawQuery();
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String pair : query.split("[&;]", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            try {
                if (URLDecoder.decode(name, StandardCharsets.UTF_8).equals("access_token")) {
                    return true;
                }
            } catch (IllegalArgumentException undecodable) {
                return true;
            }
        }
        return false;
    }

    /** True when a part of an {@code Authorization} value declares a WIT: any WIT, not only the request's own (WIT-9). */
    private static boolean containsWit(String authorization) {
        for (String part : AUTHORIZATION_PARTS.split(authorization)) {
            if (WitVerifier.declaresWitType(part)) {
                return true;
            }
        }
        return false;
    }
}
