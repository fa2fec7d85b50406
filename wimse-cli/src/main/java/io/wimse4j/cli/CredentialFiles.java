package io.wimse4j.cli;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.x509.Pem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code wimse agent}, {@code wimse wit fetch} put credentials, in the formats the file sources read:
 * the compact WIT (one line) and its private JWK (JSON) for {@code FileCredentialSource}; the WIC chain
 * (PEM, leaf first) and its PKCS#8 key (PEM) for {@code FileWicSource}. Every file is replaced atomically
 * and created owner-only ({@link AtomicFiles}); the key is written before what certifies it, so a reader
 * that notices the new WIT or chain finds its key already in place.
 *
 * @param wit    the WIT file
 * @param witKey the WIT's private JWK file
 * @param wic    the WIC chain file, or null when no WIC is kept
 * @param wicKey the WIC's private key file, or null
 */
record CredentialFiles(Path wit, Path witKey, Path wic, Path wicKey) {
    /** Writes a WIT and its key. */
    void writeWit(WorkloadCredentials credentials, WorkloadKeyPair key) throws IOException {
        AtomicFiles.write(witKey, (key.privateJwkJson() + "\n").getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(wit, (credentials.wit() + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes a WIC chain and its key. */
    void writeWic(PrivateKey key, List<X509Certificate> chain) throws IOException {
        AtomicFiles.write(wicKey, Pem.encodePrivateKey(key).getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.write(wic, Pem.encodeCertificates(chain).getBytes(StandardCharsets.US_ASCII));
    }

    private static String read(Path file) throws IOException {
        try {
            if (Files.size(file) > Inputs.MAX_BYTES) {
                throw new IOException(file + ": larger than " + Inputs.MAX_BYTES + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
    }

    /** The files that exist already, for a refusal to overwrite them. */
    List<Path> existing() {
        return java.util.stream.Stream.of(wit, witKey, wic, wicKey)
                .filter(p -> p != null && Files.exists(p)).toList();
    }

    /**
     * Why the credentials on disk are not fresh (a WIT pair that does not load or expired, a WIC chain that
     * is missing, unreadable or expired), or empty when they are.
     */
    Optional<String> staleness(Clock clock) {
        try {
            // the check FileCredentialSource makes (the key is the WIT's, unexpired), without its log lines
            WorkloadCredentials c = WorkloadCredentials.of(read(wit).strip(),
                    WorkloadKeyPair.fromPrivateJwk(read(witKey), null).signer());
            if (!clock.instant().isBefore(c.expiresAt())) {
                return Optional.of("WIT: expired at " + c.expiresAt());
            }
        } catch (WimseException e) {
            return Optional.of("WIT: " + e.reason().name() + ": " + e.detail());
        } catch (IOException e) {
            return Optional.of("WIT: cannot read: " + IoErrors.describe(e));
        }
        if (wic != null) {
            try {
                List<X509Certificate> chain = Pem.readCertificates(wic);
                if (chain.isEmpty()) {
                    return Optional.of("WIC: " + wic + " holds no certificate");
                }
                Instant notAfter = chain.get(0).getNotAfter().toInstant();
                if (!clock.instant().isBefore(notAfter)) {
                    return Optional.of("WIC: expired at " + notAfter);
                }
                if (!Files.exists(wicKey)) {
                    return Optional.of("WIC: no key file " + wicKey);
                }
            } catch (IOException e) {
                return Optional.of("WIC: cannot read " + wic + ": " + e.getClass().getSimpleName());
            }
        }
        return Optional.empty();
    }
}
