package io.wimse4j.core.error;

import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every distinct way a WIMSE credential or request can fail, each with a stable RFC 9457 problem
 * {@code type} URI, a title and the HTTP status a receiver should answer (V-14: 400, never 401;
 * 503 only when a dependency such as the replay store is down and the policy fails closed). Under the
 * wpt-02 transport a {@linkplain #isCredentialFailure() credential failure} is answered 401 with
 * {@code WWW-Authenticate: WPT} instead (P2-4, {@link WimseException#httpStatus()}).
 *
 * <p>Each reason is a {@link ProblemType}: its {@link #code()} is the enum name in lower case with
 * {@code -} for {@code _} (e.g. {@code audience-mismatch}), and its problem type URI is
 * {@link ProblemType#BASE} followed by that code. Names and codes are part of the public API and
 * never change meaning; clients compare codes ({@link #fromCode(String)}), never type URIs.
 */
public enum Reason implements ProblemType {
    /** Not a compact JWS: wrong number of parts, empty part, or not a JSON object (V-2). */
    MALFORMED_TOKEN("Malformed token", 400, Kind.CREDENTIAL),
    /** A token or header exceeds the configured size limit; rejected before parsing. */
    TOKEN_TOO_LARGE("Token too large", 400, Kind.CREDENTIAL),
    /** A part is not strict base64url (padding, foreign characters, non-canonical bits). */
    BAD_ENCODING("Bad base64url encoding", 400, Kind.CREDENTIAL),
    /** The JSON is invalid: syntax error, duplicate member, trailing data, too deep. */
    INVALID_JSON("Invalid JSON", 400, Kind.CREDENTIAL),
    /** The JOSE header {@code typ} is not the expected one (WIT-2, WPT-3, V-5). */
    WRONG_TYP("Wrong token type", 400, Kind.CREDENTIAL),
    /** The {@code alg} is not an accepted asymmetric JWS algorithm (WIT-1, WIT-8). */
    UNSUPPORTED_ALG("Unsupported algorithm", 400, Kind.CREDENTIAL),
    /** The WPT {@code alg} differs from the WIT's {@code cnf.jwk.alg} (V-3, WPT-2). */
    ALG_MISMATCH("Algorithm mismatch", 400, Kind.CREDENTIAL),
    /** The header has a {@code crit} parameter this implementation does not understand. */
    UNSUPPORTED_CRIT("Unsupported critical header", 400, Kind.CREDENTIAL),
    /** The signature does not verify (V-4). */
    BAD_SIGNATURE("Bad signature", 400, Kind.CREDENTIAL),
    /** No key of the trust domain's bundle matches the token's {@code kid} and {@code alg}. */
    UNKNOWN_KEY("Unknown signing key", 400, Kind.CREDENTIAL),
    /** The token has no {@code kid} and the policy requires one (C2-1; the SPIFFE WIT-SVID profile). */
    KID_REQUIRED("Key identifier required", 400, Kind.CREDENTIAL),
    /** The token has no {@code kid} and several keys could have signed it (C2-1). */
    AMBIGUOUS_KEY("Ambiguous signing key", 400, Kind.CREDENTIAL),
    /** The trust domain of {@code sub} has no configured trust anchors (ID-3). */
    UNTRUSTED_TRUST_DOMAIN("Untrusted trust domain", 400, Kind.CREDENTIAL),
    /** The {@code sub} is not a valid workload identifier (ID-1, WIT-4). */
    INVALID_IDENTIFIER("Invalid workload identifier", 400, Kind.CREDENTIAL),
    /** The WIT {@code iss} is missing or not on the configured allowlist (WIT-3). */
    UNTRUSTED_ISSUER("Untrusted issuer", 400, Kind.CREDENTIAL),
    /** A required claim is absent (WIT-4, WIT-5, WIT-7, WPT-5, WPT-6). */
    MISSING_CLAIM("Missing claim", 400, Kind.CREDENTIAL),
    /** A claim has the wrong JSON type or an unacceptable value. */
    INVALID_CLAIM("Invalid claim", 400, Kind.CREDENTIAL),
    /** The WIT's {@code cnf.jwk} is unusable: no {@code alg}, private members, bad point (WIT-7, WIT-8). */
    INVALID_CNF_KEY("Invalid confirmation key", 400, Kind.CREDENTIAL),
    /** The token's {@code exp} has passed (SEC-2, V-7). */
    EXPIRED("Token expired", 400, Kind.CREDENTIAL),
    /** The token's {@code nbf} lies in the future. */
    NOT_YET_VALID("Token not yet valid", 400, Kind.CREDENTIAL),
    /** The token's {@code iat} lies in the future. */
    ISSUED_IN_FUTURE("Token issued in the future", 400, Kind.CREDENTIAL),
    /** The token's {@code exp} is unreasonably far ahead (V-7 for proofs, WIT-5 for WITs). */
    LIFETIME_TOO_LONG("Lifetime too long", 400, Kind.CREDENTIAL),
    /** The WPT {@code aud} is not the target URI nor an accepted alias (V-6). */
    AUDIENCE_MISMATCH("Audience mismatch", 400, Kind.CREDENTIAL),
    /** The WPT has no {@code wth} (WPT-7, V-8). */
    WTH_MISSING("Missing WIT hash", 400, Kind.CREDENTIAL),
    /** The WPT {@code wth} is not the hash of the presented WIT (V-8). */
    WTH_MISMATCH("WIT hash mismatch", 400, Kind.CREDENTIAL),
    /** An access token is presented but the WPT has no {@code ath} (WPT-8, V-10). */
    ATH_MISSING("Missing access token hash", 400, Kind.CREDENTIAL),
    /** The {@code ath} does not match the presented access token, or no token is presented (V-10). */
    ATH_MISMATCH("Access token hash mismatch", 400, Kind.CREDENTIAL),
    /** A Txn-Token is presented but the WPT has no {@code tth} (WPT-9, V-11). */
    TTH_MISSING("Missing transaction token hash", 400, Kind.CREDENTIAL),
    /** The {@code tth} does not match the presented Txn-Token, or none is presented (V-11). */
    TTH_MISMATCH("Transaction token hash mismatch", 400, Kind.CREDENTIAL),
    /** A header the {@code oth} profile requires to be bound is present but not covered (V-12). */
    OTH_MISSING("Missing other-token hash", 400, Kind.CREDENTIAL),
    /** An {@code oth} entry does not match its header, or the header is absent (V-12). */
    OTH_MISMATCH("Other-token hash mismatch", 400, Kind.CREDENTIAL),
    /** An {@code oth} entry names a header the recipient does not understand (V-13). */
    OTH_UNKNOWN_ENTRY("Unknown other-token entry", 400, Kind.CREDENTIAL),
    /** The request carries no {@code Workload-Identity-Token} header (WIT-10). */
    MISSING_WIT("Missing Workload-Identity-Token header", 400, Kind.CREDENTIAL),
    /** The request carries no WPT: no {@code Workload-Proof-Token} header (V-1), no {@code Authorization: WPT} (P2-2). */
    MISSING_WPT("Missing Workload Proof Token", 400, Kind.CREDENTIAL),
    /** A header that must appear once appears several times (V-1, WPT-10). */
    REPEATED_HEADER("Repeated header", 400, Kind.REQUEST),
    /** The WIT is presented as a bearer token in {@code Authorization} (WIT-9). */
    WIT_AS_BEARER("WIT used as bearer token", 400, Kind.CREDENTIAL),
    /** The request carries a WPT both in {@code Workload-Proof-Token} and in {@code Authorization: WPT}. */
    TWO_PROOF_TRANSPORTS("Proof in two transports", 400, Kind.REQUEST),
    /** The request carries its WPT in a transport this receiver does not accept. */
    PROOF_TRANSPORT_NOT_ACCEPTED("Proof transport not accepted", 400, Kind.CREDENTIAL),
    /** A request with {@code Authorization: WPT} also carries a Bearer or Basic credential (P2-3). */
    BEARER_WITH_WPT("Bearer credential beside a WPT", 400, Kind.REQUEST),
    /** The proof's {@code jti} was already seen while the proof is valid (V-9). */
    REPLAY("Replayed proof", 400, Kind.CREDENTIAL),
    /** The replay store cannot be reached and the policy fails closed (SEC-4). */
    REPLAY_CACHE_UNAVAILABLE("Replay cache unavailable", 503, Kind.DEPENDENCY),
    /**
     * A Workload Identity Certificate is unusable as one: not exactly one URI SAN (WIC-2, C2-3), a CA
     * certificate as a leaf, no {@code digitalSignature} key usage, or no extended key usage for the
     * peer's role (MT-3). Raised by wimse-x509's validator, in a TLS handshake, not by a request.
     */
    INVALID_CERTIFICATE("Invalid workload identity certificate", 400, Kind.CREDENTIAL),
    /**
     * A TLS peer with a valid Workload Identity Certificate that this side does not accept: a client the
     * authorizer denies, a server that is not the expected workload or whose certificate names no
     * matching DNS-ID (WIC-4, MT-4). Raised by wimse-x509 in a TLS handshake, not by a request.
     */
    PEER_NOT_AUTHORIZED("TLS peer not authorized", 400, Kind.CREDENTIAL),
    /**
     * The message carries no HTTP Message Signature tagged {@code wimse-workload-to-workload}: no
     * {@code Signature-Input}/{@code Signature} pair, or none with that tag (HS-2).
     */
    MISSING_SIGNATURE("Missing HTTP message signature", 400, Kind.CREDENTIAL),
    /**
     * {@code Signature-Input} or {@code Signature} is not what RFC 9421 allows: not a Structured Field
     * dictionary (RFC 9651), a label without its signature, a parameter of the wrong type, a component
     * identifier that is invalid, repeated or not supported.
     */
    MALFORMED_SIGNATURE("Malformed HTTP message signature", 400, Kind.CREDENTIAL),
    /** The message carries more than one signature tagged {@code wimse-workload-to-workload} (HS-2). */
    AMBIGUOUS_SIGNATURE("Several WIMSE signatures", 400, Kind.CREDENTIAL),
    /** The signature's parameters include {@code keyid} or {@code alg}, which the WIT replaces (HS-1). */
    FORBIDDEN_SIGNATURE_PARAMETER("Forbidden signature parameter", 400, Kind.CREDENTIAL),
    /**
     * A signature parameter the profile requires is absent: {@code created}, {@code expires},
     * {@code nonce}, on requests {@code wimse-aud}, on a required signed response {@code wimse-req-nonce} (HS-4, HS-6).
     */
    MISSING_SIGNATURE_PARAMETER("Missing signature parameter", 400, Kind.CREDENTIAL),
    /**
     * A component the profile requires is not covered by the signature: {@code @method}, the target
     * ({@code @path} and {@code @query}, or -06's {@code @request-target}), or a present
     * {@code content-type}, {@code content-digest}, {@code authorization}, {@code txn-token} or
     * {@code workload-identity-token} field (HS-3, HS-6).
     */
    UNCOVERED_COMPONENT("Required component not covered", 400, Kind.CREDENTIAL),
    /** A covered component has no value in the message, e.g. a covered header that is absent (RFC 9421 section 2.5). */
    ABSENT_COMPONENT("Covered component absent", 400, Kind.CREDENTIAL),
    /** The message has a body but no {@code Content-Digest} with an accepted algorithm (HS-5, RFC 9530). */
    MISSING_CONTENT_DIGEST("Missing Content-Digest", 400, Kind.CREDENTIAL),
    /** The body does not hash to the {@code Content-Digest} the message carries (HS-5, RFC 9530). */
    CONTENT_DIGEST_MISMATCH("Content-Digest mismatch", 400, Kind.CREDENTIAL),
    /** A body that must be read whole to be digested exceeds the configured limit (HS-5); 413. */
    BODY_TOO_LARGE("Body too large", 413, Kind.REQUEST),
    /** A response the client required to be signed ({@code wimse-sign-response}, or policy) carries no WIMSE signature (HS-6). */
    UNSIGNED_RESPONSE("Unsigned response", 400, Kind.CREDENTIAL),
    /** A signed response's {@code wimse-req-nonce} is not the {@code nonce} of the request it answers (HS-6). */
    REQUEST_NONCE_MISMATCH("Response bound to another request", 400, Kind.CREDENTIAL),
    /**
     * The request asked for a signed response ({@code wimse-sign-response}) or policy requires one, and
     * the server cannot sign it (no credentials, a body past the buffering limit): 501, never a
     * successful unsigned response (HS-6).
     */
    SIGNED_RESPONSE_UNAVAILABLE("Signed response unavailable", 501, Kind.LOCAL),
    /** A key or JWK given to the library is unusable (wrong type, curve, size, private part). */
    INVALID_KEY("Invalid key", 400, Kind.LOCAL),
    /** The caller's own credentials have expired; the private key must not be used (KEY-3). */
    CREDENTIALS_EXPIRED("Credentials expired", 400, Kind.LOCAL);

    private static final Map<String, Reason> BY_CODE = new HashMap<>();

    static {
        for (Reason r : values()) {
            BY_CODE.put(r.code, r);
        }
    }

    /** What a reason is about, which decides how the wpt-02 transport answers it (P2-4). */
    private enum Kind {
        /** The presented credentials: the WIT, the WPT and what they bind; 401 under wpt-02. */
        CREDENTIAL,
        /** A malformed request ("other errors"): 400 in both transports. */
        REQUEST,
        /** A dependency that is down (the replay store): 503. */
        DEPENDENCY,
        /** The caller's own keys and credentials, never raised by a request. */
        LOCAL
    }

    private final String title;
    private final int httpStatus;
    private final Kind kind;
    private final String code;
    private final URI type;

    Reason(String title, int httpStatus, Kind kind) {
        this.title = title;
        this.httpStatus = httpStatus;
        this.kind = kind;
        this.code = name().toLowerCase(Locale.ROOT).replace('_', '-');
        this.type = ProblemType.typeOf(code);
    }

    /** The reason whose {@link #code()} is {@code code}, e.g. {@code expired}; empty for any other string. */
    public static Optional<Reason> fromCode(String code) {
        return Optional.ofNullable(code == null ? null : BY_CODE.get(code));
    }

    /** The stable code: the name in lower case with {@code -} for {@code _}, e.g. {@code wth-mismatch}. */
    @Override
    public String code() {
        return code;
    }

    /** The stable RFC 9457 problem {@code type} URI: {@link ProblemType#BASE} followed by {@link #code()}. */
    @Override
    public URI type() {
        return type;
    }

    /** The same as {@link #type()}: the stable RFC 9457 problem {@code type} URI for this reason. */
    public URI problemType() {
        return type;
    }

    /** A short human-readable title, suitable for the problem {@code title} member. */
    @Override
    public String title() {
        return title;
    }

    /** The HTTP status a receiving workload should answer (V-14); the same as {@link #httpStatus()}. */
    @Override
    public int status() {
        return httpStatus;
    }

    /** The HTTP status a receiving workload should answer (V-14). */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * True when this reason is a failure of the presented credentials (the WIT, the WPT and what they
     * bind), which the wpt-02 transport answers 401 with {@code WWW-Authenticate: WPT} (P2-4). Each reason
     * declares it explicitly: false for a malformed request ({@link #REPEATED_HEADER},
     * {@link #TWO_PROOF_TRANSPORTS}, {@link #BEARER_WITH_WPT}: "other errors", 400), for a dependency that
     * is down (503) and for the caller's own keys ({@link #INVALID_KEY}, {@link #CREDENTIALS_EXPIRED}).
     */
    public boolean isCredentialFailure() {
        return kind == Kind.CREDENTIAL;
    }
}
