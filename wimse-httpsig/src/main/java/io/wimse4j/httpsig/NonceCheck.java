package io.wimse4j.httpsig;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.replay.ReplayCache;
import io.wimse4j.core.replay.ReplayKey;
import io.wimse4j.httpsig.internal.SignerKey;
import io.wimse4j.httpsig.internal.TaggedSignature;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The last step of {@link HttpSignatureVerifier} (HS-8): a verified signature's nonce recorded in the
 * replay cache, per sender and apart from the sender's WPT {@code jti}s, kept until the signature's
 * {@code expires} plus the leeway; a signature that expired while it was being verified is refused as
 * expired, not offered to the cache.
 */
record NonceCheck(ReplayCache cache, Clock clock, Duration leeway) {
    /** Prefix of a nonce in the replay cache, apart from the sender's WPT {@code jti}s. */
    static final String NONCE_SCOPE = "httpsig:";

    void record(SignerKey signer, TaggedSignature sig) throws WimseException {
        if (cache == null) {
            return;
        }
        Instant keepUntil = sig.expires().plus(leeway);
        if (!clock.instant().isBefore(keepUntil)) {
            throw new WimseException(Reason.EXPIRED, "the signature expired while the message was being verified");
        }
        if (!cache.firstUse(ReplayKey.of(signer.subject(), NONCE_SCOPE + sig.nonce()), keepUntil)) {
            throw new WimseException(Reason.REPLAY, "signature 'nonce' was already used by " + signer.subject() + " (HS-8)");
        }
    }
}
