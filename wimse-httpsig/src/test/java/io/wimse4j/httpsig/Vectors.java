package io.wimse4j.httpsig;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.key.TrustBundleSource;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wit.WitInfo;
import io.wimse4j.httpsig.internal.SignerKey;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** The draft's signed messages, copied under {@code src/test/resources/vectors/}, and what their tests need. */
final class Vectors {
    static final String V07 = "http-signature-07/";
    static final String V06 = "drafts-2026-08/";
    /** {@code created} of sigs-request.txt and sigs-response.txt (-07). */
    static final long CREATED_07 = 1788298924L;
    /** {@code created} of sigs-request-b-c.txt and sigs-response-c.txt (-07). */
    static final long CREATED_07_C = 1789405135L;
    /** {@code created} of the -06 examples. */
    static final long CREATED_06 = 1785155797L;

    private Vectors() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource vectors/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.ISO_8859_1);
    }

    static HttpMessageText message(String text) {
        return HttpMessageText.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Clock clockAt(long epochSeconds) {
        return Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }

    /** A trust source that trusts nothing: these WITs are taken as valid explicitly, never through it. */
    static TrustBundleSource noTrust() {
        return domain -> Optional.empty();
    }

    /**
     * The key of {@code wit} taken as valid without checking its issuer's signature, which cannot be checked:
     * the working group never published the issuer key of its examples. Its {@code cnf.jwk} and
     * {@code cnf.jwk.alg} are read as a verified WIT's would be.
     */
    static SignerKey trustedExplicitly(String wit) throws WimseException {
        WitInfo info = WitInfo.decodeUnverified(wit);
        return new SignerKey(info.subject(), info.confirmationKey().verifier(info.proofAlgorithm()), null);
    }

    /** What the client of a vector request remembers of it (the nonce it sent, whether it asked for a signature). */
    static RequestSignature sent(HttpRequestFacts request, String nonce, boolean signResponse, SignatureProfile profile) {
        return new RequestSignature(java.util.Map.of(), request, nonce, signResponse, profile, Instant.EPOCH);
    }
}
