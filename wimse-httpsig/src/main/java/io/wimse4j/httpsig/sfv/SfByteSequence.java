package io.wimse4j.httpsig.sfv;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A Byte Sequence (RFC 9651 section 3.3.5): binary content, serialized as base64 (with padding) between
 * colons ({@code :cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:}). Immutable: the bytes are copied in and out.
 */
public final class SfByteSequence implements BareItem {
    private final byte[] bytes;

    private SfByteSequence(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The Byte Sequence of a copy of {@code bytes}. */
    public static SfByteSequence of(byte[] bytes) {
        return new SfByteSequence(Objects.requireNonNull(bytes, "bytes").clone());
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The number of bytes. */
    public int length() {
        return bytes.length;
    }

    /** The bytes in base64 with padding, as serialized between the colons. */
    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** True for another Byte Sequence of the same bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SfByteSequence other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The serialized form, {@code :base64:}. */
    @Override
    public String toString() {
        return ":" + base64() + ":";
    }
}
