package io.wimse4j.httpsig;

/**
 * The names draft-ietf-wimse-http-signature (-06/-07) and RFC 9421 put on the wire: the header fields,
 * the signature tag (HS-2) and the signature parameters (HS-1, HS-4, HS-6).
 */
public final class HttpSignatures {
    /** The tag that marks the WIMSE signature among a message's signatures (HS-2): never found by label. */
    public static final String TAG = "wimse-workload-to-workload";
    /** The label wimse4j signs under by default (the draft's SHOULD when a message carries several signatures). */
    public static final String DEFAULT_LABEL = "wimse";
    /** RFC 9421's {@code Signature-Input} field. */
    public static final String SIGNATURE_INPUT = "Signature-Input";
    /** RFC 9421's {@code Signature} field. */
    public static final String SIGNATURE = "Signature";
    /** RFC 9530's {@code Content-Digest} field (HS-5). */
    public static final String CONTENT_DIGEST = "Content-Digest";
    /** The field carrying the signer's WIT (HS-1). */
    public static final String WORKLOAD_IDENTITY_TOKEN = "Workload-Identity-Token";

    /** Signature parameter: creation time, Integer seconds (HS-4). */
    public static final String CREATED = "created";
    /** Signature parameter: expiry time, Integer seconds, short (HS-4). */
    public static final String EXPIRES = "expires";
    /** Signature parameter: the sender's unique random value (HS-4, HS-8). */
    public static final String NONCE = "nonce";
    /** Signature parameter: the application tag, {@value #TAG} (HS-2). */
    public static final String TAG_PARAMETER = "tag";
    /** Signature parameter never written and refused when present (HS-1). */
    public static final String KEYID = "keyid";
    /** Signature parameter never written and refused when present (HS-1). */
    public static final String ALG = "alg";
    /** Request signature parameter: the audience, by default the target URI without query and fragment (HS-4). */
    public static final String WIMSE_AUD = "wimse-aud";
    /** Request signature parameter: Boolean, true asks the server to sign its response (HS-4, HS-6). */
    public static final String WIMSE_SIGN_RESPONSE = "wimse-sign-response";
    /** Response signature parameter: the {@code nonce} of the request answered (HS-6). */
    public static final String WIMSE_REQ_NONCE = "wimse-req-nonce";

    private HttpSignatures() {
    }
}
