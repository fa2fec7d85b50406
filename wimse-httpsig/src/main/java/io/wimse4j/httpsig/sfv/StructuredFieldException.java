package io.wimse4j.httpsig.sfv;

/**
 * A field value is not a valid Structured Field of the type asked for (RFC 9651 section 4.2: "fail parsing").
 * The message names what was expected and the {@link #offset()} in the field value where parsing failed; it
 * never quotes more than one character of the value.
 *
 * <p>A checked exception of its own rather than {@code io.wimse4j.core.error.WimseException}: parsing a field is
 * no verdict on a credential. The signature verifier that reads {@code Signature-Input} and {@code Signature}
 * turns it into a {@code WimseException} with the reason of the field it was reading.
 */
public final class StructuredFieldException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    /** A failure at {@code offset} of the field value, explained by {@code problem}. */
    public StructuredFieldException(String problem, int offset) {
        super(problem + " at offset " + offset, null, false, false);
        this.offset = offset;
    }

    /** The index (0-based, in characters) in the field value where parsing failed. */
    public int offset() {
        return offset;
    }
}
