package io.wimse4j.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.internal.StrictJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One-time join tokens: 256 random bits each, bound to one registered identifier, expiring. Only
 * the SHA-256 of a token is stored (in {@code <state dir>/join-tokens.json}, owner-only, replaced
 * atomically), with its expiry: the file holds the outstanding tokens only. Using a token removes
 * its entry on disk before the WIT it pays for is returned, so a used token stays used across a
 * restart or crash (it is unknown from then on, and an unknown token is refused like a used or
 * expired one). Expired entries are dropped at the next write. Thread-safe.
 */
public final class JoinTokenStore {
    private static final Logger LOG = LoggerFactory.getLogger(JoinTokenStore.class);
    /** The file holding the token hashes. */
    public static final String FILE = "join-tokens.json";
    /** Longest lifetime of a join token. */
    public static final Duration MAX_TTL = Duration.ofDays(7);

    private static final SecureRandom RANDOM = new SecureRandom();

    private record Entry(WorkloadIdentifier id, Instant expiresAt) {
    }

    /** A freshly minted token; the only time the token itself exists on the server. */
    public record Minted(String token, WorkloadIdentifier id, Instant expiresAt) {
        @Override
        public String toString() {
            return "Minted[id=" + id + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** Why a token was refused. */
    public static final class InvalidTokenException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }

    private final StateDir state;
    private final Clock clock;
    private final Map<String, Entry> byHash = new LinkedHashMap<>();

    private JoinTokenStore(StateDir state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    /** Loads the token hashes of {@code state}. */
    public static JoinTokenStore open(StateDir state, Clock clock) throws IOException {
        JoinTokenStore store = new JoinTokenStore(state, clock);
        Optional<byte[]> bytes = state.read(FILE);
        if (bytes.isPresent()) {
            try {
                for (JsonNode n : StrictJson.parseObject(bytes.get(), FILE).withArray("tokens")) {
                    WorkloadIdentifier id;
                    try {
                        id = WorkloadIdentifier.parse(n.get("id").textValue());
                    } catch (WimseException notCanonical) {
                        // its registration is left out too (RegistrationStore): the token could never be redeemed
                        LOG.warn("state file {}: a join token for {} is ignored, {}", FILE, n.path("id"), notCanonical.detail());
                        continue;
                    }
                    store.byHash.put(n.get("hash").textValue(), new Entry(id, Instant.ofEpochSecond(n.get("expires_at").longValue())));
                }
            } catch (WimseException | RuntimeException e) {
                throw new IOException("state file " + FILE + " is unreadable", e);
            }
        }
        return store;
    }

    /** Mints a token for {@code id}, valid for {@code ttl} (at most {@link #MAX_TTL}). */
    public synchronized Minted mint(WorkloadIdentifier id, Duration ttl) throws IOException {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttl_seconds must be between 1 and " + MAX_TTL.toSeconds());
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64Url.encode(raw);
        Instant exp = Instant.ofEpochSecond(clock.instant().getEpochSecond()).plus(ttl);
        byHash.put(hash(token), new Entry(id, exp));
        persist();
        return new Minted(token, id, exp);
    }

    /** The identifier {@code token} is for, when it is known, unused and unexpired. */
    public synchronized WorkloadIdentifier peek(String token) throws InvalidTokenException {
        return valid(hash(token));
    }

    /**
     * Uses up {@code token} (its entry is removed on disk) and returns its identifier; refuses it
     * when it is unknown, used or expired (checked again here, so two concurrent requests cannot
     * both use it).
     */
    public synchronized WorkloadIdentifier consume(String token) throws InvalidTokenException, IOException {
        String h = hash(token);
        WorkloadIdentifier id = valid(h);
        Entry old = byHash.remove(h);
        try {
            persist();
        } catch (IOException e) {
            byHash.put(h, old);
            throw e;
        }
        return id;
    }

    /**
     * Revokes every outstanding token for {@code id} (on disk), so a token minted for a
     * registration that is deleted can never serve a later registration of the same identifier.
     *
     * @return how many tokens were revoked
     */
    public synchronized int revokeAll(WorkloadIdentifier id) throws IOException {
        Map<String, Entry> revoked = new LinkedHashMap<>();
        byHash.entrySet().removeIf(e -> {
            if (e.getValue().id().equals(id)) {
                revoked.put(e.getKey(), e.getValue());
                return true;
            }
            return false;
        });
        if (revoked.isEmpty()) {
            return 0;
        }
        try {
            persist();
        } catch (IOException e) {
            byHash.putAll(revoked);
            throw e;
        }
        return revoked.size();
    }

    private WorkloadIdentifier valid(String h) throws InvalidTokenException {
        Entry e = byHash.get(h);
        if (e == null) {
            throw new InvalidTokenException("the join token is unknown or was already used");
        }
        if (!clock.instant().isBefore(e.expiresAt())) {
            throw new InvalidTokenException("the join token has expired");
        }
        return e.id();
    }

    private void persist() throws IOException {
        Instant now = clock.instant();
        byHash.values().removeIf(e -> !now.isBefore(e.expiresAt()));
        ObjectNode root = StrictJson.mapper().createObjectNode();
        ArrayNode arr = root.putArray("tokens");
        byHash.forEach((h, e) -> {
            ObjectNode o = arr.addObject();
            o.put("hash", h);
            o.put("id", e.id().value());
            o.put("expires_at", e.expiresAt().getEpochSecond());
        });
        state.writeAtomically(FILE, StrictJson.mapper().writeValueAsBytes(root));
    }

    private static String hash(String token) {
        return Base64Url.encode(Hashes.sha256(token.getBytes(StandardCharsets.UTF_8)));
    }
}
