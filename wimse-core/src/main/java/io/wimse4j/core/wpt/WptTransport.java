package io.wimse4j.core.wpt;

/**
 * How a request carries its Workload Proof Token. Both generations of the drafts are spoken: a
 * receiver accepts both by default and refuses a request that uses both at once; a sender picks one
 * ({@link #AUTHORIZATION} by default).
 *
 * <table>
 *   <caption>The two transports</caption>
 *   <tr><th></th><th>{@link #WORKLOAD_PROOF_TOKEN} (seed)</th><th>{@link #AUTHORIZATION} (wpt-02)</th></tr>
 *   <tr><td>the WPT</td><td>{@code Workload-Proof-Token: <jwt>} (WPT-1, V-1)</td>
 *       <td>{@code Authorization: WPT <jwt>} (P2-1, P2-2)</td></tr>
 *   <tr><td>an OAuth access token</td><td>in {@code Authorization}, bound by {@code ath} (WPT-8, V-10)</td>
 *       <td>none: no Bearer or Basic credential may accompany the WPT (P2-3)</td></tr>
 *   <tr><td>a credential failure</td><td>400 with a problem (V-14)</td>
 *       <td>401 with {@code WWW-Authenticate: WPT} and a problem (P2-4)</td></tr>
 * </table>
 *
 * <p>{@code Txn-Token} ({@code tth}) and other tokens ({@code oth}) are bound the same way in both.
 */
public enum WptTransport {
    /**
     * The seed drafts' transport: the {@code Workload-Proof-Token} header, an access token in
     * {@code Authorization} bound through {@code ath}, failures answered 400 (WPT-1, V-1..V-14).
     */
    WORKLOAD_PROOF_TOKEN,
    /**
     * The transport of draft-ietf-wimse-wpt-02: {@code Authorization: WPT <jwt>}, no {@code ath} and no
     * bearer credential beside it, credential failures answered 401 with {@code WWW-Authenticate: WPT}
     * (P2-1..P2-4).
     */
    AUTHORIZATION;

    /** The HTTP authentication scheme of {@link #AUTHORIZATION}, also the challenge of a 401 (P2-1, P2-4). */
    public static final String SCHEME = "WPT";

    /** The header that carries the proof, in lower case: {@code workload-proof-token} or {@code authorization}. */
    public String headerName() {
        return this == WORKLOAD_PROOF_TOKEN ? WimseHeaders.WORKLOAD_PROOF_TOKEN : WimseHeaders.AUTHORIZATION;
    }

    /** The header value that carries {@code wpt}: the token itself, or {@code WPT <token>}. */
    public String headerValue(String wpt) {
        return this == WORKLOAD_PROOF_TOKEN ? wpt : SCHEME + " " + wpt;
    }
}
