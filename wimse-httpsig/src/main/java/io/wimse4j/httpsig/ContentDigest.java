package io.wimse4j.httpsig;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.httpsig.sfv.Item;
import io.wimse4j.httpsig.sfv.Member;
import io.wimse4j.httpsig.sfv.SfByteSequence;
import io.wimse4j.httpsig.sfv.SfDictionary;
import io.wimse4j.httpsig.sfv.StructuredFieldException;
import io.wimse4j.httpsig.sfv.StructuredFields;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * RFC 9530 {@code Content-Digest} for HS-5: a signed message with a body carries the digest of that
 * body, covered by the signature, and the recipient recomputes it. wimse4j writes {@code sha-256};
 * it accepts {@code sha-256} and {@code sha-512}, ignores algorithms it does not know (RFC 9530
 * section 2) and requires every accepted one present to match. The digest is of the content as sent
 * (after any content coding), i.e. the bytes on the wire. Stateless and thread-safe.
 */
public final class ContentDigest {
    /** RFC 9530's name of SHA-256, the algorithm wimse4j writes. */
    public static final String SHA_256 = "sha-256";
    /** RFC 9530's name of SHA-512, also accepted. */
    public static final String SHA_512 = "sha-512";

    private ContentDigest() {
    }

    /** The {@code Content-Digest} value of {@code body}: {@code sha-256=:<base64>:}. */
    public static String of(byte[] body) {
        Objects.requireNonNull(body, "body");
        return SHA_256 + "=:" + java.util.Base64.getEncoder().encodeToString(digest("SHA-256", body)) + ":";
    }

    /**
     * Checks {@code body} against the message's {@code Content-Digest} field lines (HS-5).
     *
     * @throws WimseException {@link Reason#MISSING_CONTENT_DIGEST} when there is no field, it is not an
     *                        RFC 9530 dictionary, or it has no {@code sha-256} or {@code sha-512} member;
     *                        {@link Reason#CONTENT_DIGEST_MISMATCH} when an accepted member does not match
     */
    public static void verify(List<String> fieldLines, byte[] body) throws WimseException {
        Objects.requireNonNull(body, "body");
        if (fieldLines.isEmpty()) {
            throw new WimseException(Reason.MISSING_CONTENT_DIGEST, "the message has a body but no 'Content-Digest' (HS-5)");
        }
        SfDictionary dictionary;
        try {
            dictionary = StructuredFields.parseDictionary(StructuredFields.combine(fieldLines));
        } catch (StructuredFieldException e) {
            throw new WimseException(Reason.MISSING_CONTENT_DIGEST, "'Content-Digest' is not an RFC 9530 dictionary: "
                    + e.getMessage());
        }
        int checked = 0;
        for (Map.Entry<String, Member> entry : dictionary.asMap().entrySet()) {
            String jdkName = switch (entry.getKey()) {
                case SHA_256 -> "SHA-256";
                case SHA_512 -> "SHA-512";
                default -> null; // RFC 9530: an unknown algorithm is ignored
            };
            if (jdkName == null) {
                continue;
            }
            if (!(entry.getValue() instanceof Item item) || !(item.value() instanceof SfByteSequence expected)) {
                throw new WimseException(Reason.MISSING_CONTENT_DIGEST, "'Content-Digest' " + entry.getKey()
                        + " is not a byte sequence");
            }
            if (!MessageDigest.isEqual(expected.bytes(), digest(jdkName, body))) {
                throw new WimseException(Reason.CONTENT_DIGEST_MISMATCH, "the body does not match its 'Content-Digest' "
                        + entry.getKey() + " (HS-5)");
            }
            checked++;
        }
        if (checked == 0) {
            throw new WimseException(Reason.MISSING_CONTENT_DIGEST,
                    "'Content-Digest' has neither sha-256 nor sha-512, the algorithms accepted (HS-5)");
        }
    }

    private static byte[] digest(String algorithm, byte[] body) {
        try {
            return MessageDigest.getInstance(algorithm).digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is a required JDK algorithm", e);
        }
    }
}
