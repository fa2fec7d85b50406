package io.wimse4j.server;

import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.server.internal.StateDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The admin API's bearer token: 256 random bits created on first start in
 * {@code <state dir>/admin-token} (owner-only, atomic). Compared in constant time (both sides
 * hashed to a fixed length first, so neither content nor length leaks). The admin API is never
 * open without it, nor with a hand-written token shorter than 22 characters (128 bits).
 */
final class AdminToken {
    /** The file holding the token. */
    public static final String FILE = "admin-token";
    /** Shortest token accepted from an existing file: 22 base64url characters carry 128 bits. */
    static final int MIN_LENGTH = 22;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] hash;
    private final Path file;

    private AdminToken(byte[] hash, Path file) {
        this.hash = hash;
        this.file = file;
    }

    /** Loads the token of {@code state}, creating it when absent. */
    static AdminToken loadOrCreate(StateDir state) throws IOException {
        Optional<String> existing = state.readString(FILE).map(String::trim).filter(s -> !s.isEmpty());
        String token;
        if (existing.isPresent()) {
            token = existing.get();
            if (token.length() < MIN_LENGTH) {
                throw new IOException("the admin token in " + state.file(FILE) + " is shorter than " + MIN_LENGTH
                        + " characters (128 bits); delete the file to have a random one created");
            }
        } else {
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            token = Base64Url.encode(raw);
            state.writeAtomically(FILE, token + "\n");
        }
        return new AdminToken(Hashes.sha256(token.getBytes(StandardCharsets.UTF_8)), state.file(FILE));
    }

    /** The file the token is in (shown to the operator instead of the token). */
    public Path file() {
        return file;
    }

    /** True when the {@code Authorization} header value carries this token as a bearer token. */
    boolean matches(String authorization) {
        if (authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = Hashes.sha256(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(hash, presented);
    }

    @Override
    public String toString() {
        return "AdminToken[" + file + "]";
    }
}
