package io.wimse4j.cli;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.jose.JwsAlgorithm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading command inputs (files, standard input, {@code @file} values) with size limits. */
final class Inputs {
    /** Largest file or standard input read, in bytes. */
    static final int MAX_BYTES = 1 << 20;

    private Inputs() {
    }

    /** The clock of {@code --now <epoch-seconds>}: fixed at that instant, UTC. */
    static java.time.Clock fixedClock(long epochSeconds) {
        return java.time.Clock.fixed(java.time.Instant.ofEpochSecond(epochSeconds), java.time.ZoneOffset.UTC);
    }

    /** Hands each {@code --audience} value to {@code accept}; a blank one is a usage error. */
    static void audiences(java.util.List<String> values, java.util.function.Consumer<String> accept) {
        for (String a : values) {
            if (a.isBlank()) {
                throw CliException.usage("--audience must not be blank");
            }
            accept.accept(a);
        }
    }

    /** The bytes of {@code file}, or of {@code stdin} when {@code file} is {@code -}. */
    static byte[] readBytes(String file, InputStream stdin, String what) {
        try {
            if ("-".equals(file)) {
                byte[] data = stdin.readNBytes(MAX_BYTES + 1);
                return checkSize(data, what);
            }
            Path p = Path.of(file);
            if (Files.isDirectory(p)) {
                throw CliException.usage("cannot read " + what + " '" + file + "': it is a directory");
            }
            if (Files.size(p) > MAX_BYTES) {
                throw CliException.usage(what + " '" + file + "' is larger than " + MAX_BYTES + " bytes");
            }
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw CliException.usage("cannot read " + what + " '" + file + "': no such file");
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw CliException.usage("cannot read " + what + " '" + file + "': " + IoErrors.describe(e));
        }
    }

    private static byte[] checkSize(byte[] data, String what) {
        if (data.length > MAX_BYTES) {
            throw CliException.usage(what + " on standard input is larger than " + MAX_BYTES + " bytes");
        }
        return data;
    }

    /** The UTF-8 text of {@code file} (or standard input for {@code -}). */
    static String readText(String file, InputStream stdin, String what) {
        return new String(readBytes(file, stdin, what), StandardCharsets.UTF_8);
    }

    /** A token given inline, as {@code @file}, or as {@code -} for standard input; whitespace trimmed. */
    static String token(String value, InputStream stdin, String what) {
        String raw;
        if ("-".equals(value)) {
            raw = readText("-", stdin, what);
        } else if (value.startsWith("@")) {
            raw = readText(value.substring(1), stdin, what);
        } else {
            raw = value;
        }
        String token = raw.strip();
        if (token.isEmpty()) {
            throw CliException.usage(what + " is empty");
        }
        return token;
    }

    /** A private key from a JWK file; {@code defaultAlg} (may be null) applies when the JWK has no {@code alg}. */
    static WorkloadKeyPair privateKey(String file, InputStream stdin, JwsAlgorithm defaultAlg, String what) {
        String json = readText(file, stdin, what);
        try {
            return WorkloadKeyPair.fromPrivateJwk(json, defaultAlg);
        } catch (WimseException e) {
            throw CliException.badInput(what + " '" + file + "'", e);
        }
    }

    /**
     * The WIT with the private key of its {@code cnf.jwk}. A key that is not the WIT's (another key, another
     * algorithm) is a usage error ({@value WimseCli#USAGE}): the inputs do not belong together, nothing was verified.
     */
    static io.wimse4j.core.wpt.WorkloadCredentials credentials(String witToken, WorkloadKeyPair key) {
        try {
            return io.wimse4j.core.wpt.WorkloadCredentials.of(witToken, key.signer());
        } catch (WimseException e) {
            throw CliException.usage("--key does not belong to the WIT: " + e.reason().name() + ": " + e.detail());
        }
    }

    /** Shortens a secret for display: a short prefix and an ellipsis. */
    static String redact(String secret) {
        return secret.length() <= 12 ? "…" : secret.substring(0, 12) + "…";
    }
}
