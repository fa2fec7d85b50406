package io.wimse4j.httpsig.internal;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.httpsig.ContentDigest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The steps of a signature's verification after the WIT (HS-4, HS-5, HS-1). Not part of the API. */
public final class Checks {
    private Checks() {
    }

    /** {@code created} not ahead, {@code expires} after it, not too far and not passed, all with the leeway (HS-4). */
    public static void times(TaggedSignature sig, Instant now, Duration leeway, Duration maxLifetime) throws WimseException {
        if (sig.created().isAfter(now.plus(leeway))) {
            throw new WimseException(Reason.ISSUED_IN_FUTURE, "signature 'created' lies in the future");
        }
        if (!sig.expires().isAfter(sig.created())) {
            throw new WimseException(Reason.MALFORMED_SIGNATURE, "signature 'expires' is not after 'created'");
        }
        if (Duration.between(sig.created(), sig.expires()).compareTo(maxLifetime) > 0) {
            throw new WimseException(Reason.LIFETIME_TOO_LONG, "signature lifetime exceeds " + maxLifetime.toSeconds()
                    + " s; 'expires' must be short (HS-4)");
        }
        if (!now.isBefore(sig.expires().plus(leeway))) {
            throw new WimseException(Reason.EXPIRED, "the HTTP message signature has expired ('expires', HS-4)");
        }
    }

    /**
     * The signature with the signer's key (HS-1), then the body against its digest (HS-5). A body already in
     * hand without a digest is refused before the signature is checked; one read later, after: it is read only
     * once the signature verified.
     */
    public static void signatureThenBody(TaggedSignature sig, byte[] base, SignerKey signer, SignedBody body, List<String> digest)
            throws WimseException {
        if (body.known() != null && body.known().length > 0 && digest.isEmpty()) {
            throw missingDigest();
        }
        if (!signer.verifier().verify(base, 0, base.length, sig.signature())) {
            throw new WimseException(Reason.BAD_SIGNATURE, "the HTTP message signature does not verify with the WIT's cnf key (HS-1)");
        }
        byte[] bytes = body.read();
        if (bytes.length > 0 && digest.isEmpty()) {
            throw missingDigest();
        }
        if (!digest.isEmpty()) {
            ContentDigest.verify(digest, bytes);
        }
    }

    private static WimseException missingDigest() {
        return new WimseException(Reason.MISSING_CONTENT_DIGEST, "the message has a body but no 'Content-Digest' (HS-5)");
    }
}
