package io.wimse4j.httpsig;

/**
 * How a WIMSE signature covers the request target (HS-3). draft-ietf-wimse-http-signature-07 covers
 * {@code @path} and {@code @query}; -06 covered {@code @request-target}. Everything else is the same.
 * wimse4j signs with {@link #DRAFT_07} unless told otherwise and, by default, accepts both.
 */
public enum SignatureProfile {
    /** {@code @method @path @query} (-07, the current draft). */
    DRAFT_07,
    /** {@code @method @request-target} (-06). */
    DRAFT_06
}
