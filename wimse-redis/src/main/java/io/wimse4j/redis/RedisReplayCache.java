package io.wimse4j.redis;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.replay.ReplayCache;
import io.wimse4j.core.replay.ReplayKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A {@link ReplayCache} shared by a cluster of verifiers, on Redis: every verifier of the cluster
 * sees every proof identifier, so a proof replayed to another instance is refused too (SEC-4).
 * Each {@link #firstUse} is one atomic Lua script (V-9; see {@code ReplayScript}): a key already
 * recorded answers {@code false}; otherwise, if its sender holds fewer than its share of live
 * entries, the key is recorded ({@code SET PX}) and counted, and the answer is {@code true}.
 *
 * <p><b>Per-sender share, stated as a rate.</b> As in {@link io.wimse4j.core.replay.InMemoryReplayCache},
 * no single sender (the workload or scope of a {@link ReplayKey}) may hold more than its share of
 * live entries: a sender past it is refused with {@link Reason#REPLAY_CACHE_UNAVAILABLE} while the
 * others go on, and a replay is still answered {@code false}. The share is given as a rate,
 * {@link Builder#perSenderRate(long) perSenderRate} requests per second (default
 * {@value #DEFAULT_PER_SENDER_RATE}) sustained over {@link Builder#retention(Duration) retention}
 * (default 121 s: a 60 s proof, 60 s of leeway and the 1 s margin, how long an entry of such a
 * proof lives), so the limit is {@code rate x retention} live entries (default
 * {@value #DEFAULT_PER_SENDER_LIMIT}); {@link Builder#perSenderLimit(long)} states the count
 * directly instead. A sender keeping under its rate is never refused as long as its entries live
 * no longer than the retention: with proofs living longer than 60 s, raise the retention to their
 * lifetime plus leeway plus 1 s. Unlike the in-memory share this one is exact: the count and the
 * insertion are one script, across all verifiers sharing the store.
 *
 * <p><b>Keys.</b> A proof is stored as {@code <namespace>{<share id>}:<compact id>} and its sender's
 * count as the sorted set {@code <namespace>{<share id>}:held}, whose members are the compact ids.
 * Both ids are 16 base64url characters, the first 96 bits of a SHA-256 digest:
 * {@link ReplayKey#compactId()} for the proof, and the first 16 characters of
 * {@link ReplayKey#shareId()} (the first 96 bits of the sender's digest) for the sender. Fixed size,
 * no proof identifier in clear in the store, and on Redis Cluster the hash tag puts a sender's keys
 * in one slot. Two proofs sharing a compact id (probability 2<sup>-96</sup>) make the second look
 * like a replay, and two senders sharing a share id share one limit: either can only refuse a
 * proof, never admit a replay. The TTL is {@code max(1 s, expiresAt - now)} plus a 1 s margin (as
 * the in-memory cache), capped at one day. (Earlier versions stored the full 43-character digests,
 * and before that {@code <namespace><hash>}: while verifiers of different layouts share a store,
 * none sees the others' entries, so a proof may be accepted once by each during a rolling upgrade,
 * for at most one retention window.)
 *
 * <p><b>Fail closed.</b> When Redis cannot answer (down, disconnected, timed out, unexpected reply)
 * {@code firstUse} throws {@link Reason#REPLAY_CACHE_UNAVAILABLE}; it never answers {@code true}
 * when unsure. While disconnected, commands are rejected at once instead of being queued, and the
 * connection is re-established in the background (Lettuce auto-reconnect, back-off capped at 1 s).
 * If the first connection cannot be made, it is retried by later calls, at most once a second.
 * {@link Builder#failOpen(boolean) failOpen(true)} is an explicit opt-in that accepts proofs without
 * a replay check while Redis is unavailable, logging a WARN each time (never past a full share).
 *
 * <p>One URI names the deployment: {@code redis://} or {@code rediss://} (a single server, TLS with
 * the second), {@code redis-sentinel://} (Lettuce's Sentinel syntax) or
 * {@code redis-cluster://[password@]host:port[,host:port...]} / {@code rediss-cluster://...} (Redis
 * Cluster: the listed nodes are seeds, the topology is discovered and refreshed; a sender's keys live
 * on the master owning their slot, so while that master is unreachable its proofs fail closed).
 *
 * <p>Messages never contain the key or the Redis URI (which may carry a password).
 */
public final class RedisReplayCache implements ReplayCache, AutoCloseable {
    /** Default key prefix. */
    public static final String DEFAULT_NAMESPACE = "wimse:replay:";
    /** Default per-sender rate, in requests per second sustained over the retention window. */
    public static final long DEFAULT_PER_SENDER_RATE = 25_000;
    /**
     * Default retention window the per-sender rate is stated over: a 60 s proof, 60 s of leeway and
     * the 1 s margin an entry outlives its proof by.
     */
    public static final Duration DEFAULT_RETENTION = Duration.ofSeconds(121);
    /** Default per-sender limit in live entries: {@code DEFAULT_PER_SENDER_RATE x 121 s}. */
    public static final long DEFAULT_PER_SENDER_LIMIT = DEFAULT_PER_SENDER_RATE * 121;
    /** Length of the ids in the key names ({@link ReplayKey#compactId()} and the share id's prefix). */
    static final int ID_LENGTH = 16;
    /** Default command timeout. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(500);
    /** Shortest TTL given to an entry, before the margin. */
    static final long MIN_TTL_MILLIS = 1_000;
    /** Entries outlive their {@code expiresAt} by this much. */
    static final long MARGIN_MILLIS = 1_000;
    /** No entry is kept longer than a day (proof lifetimes are capped far below). */
    static final long MAX_ENTRY_MILLIS = 86_400_000L;
    /** Pause between attempts to make the first connection. */
    private static final Logger LOG = LoggerFactory.getLogger(RedisReplayCache.class);

    private final LazyRedisLink link;
    private final String namespace;
    private final long perSenderLimit;
    private final Duration commandTimeout;
    private final boolean failOpen;
    private final Clock clock;

    private RedisReplayCache(Builder b, RedisTarget target) {
        this.namespace = b.namespace;
        this.perSenderLimit = b.effectivePerSenderLimit();
        this.commandTimeout = b.commandTimeout;
        this.failOpen = b.failOpen;
        this.clock = b.clock;
        this.link = new LazyRedisLink(target, commandTimeout);
    }

    /**
     * Checks that {@code uri} names a Redis deployment this cache can use, without connecting:
     * {@link IllegalArgumentException} with a message that never quotes the URI (it may carry a password).
     */
    public static void checkUri(String uri) {
        RedisTarget.parse(java.util.Objects.requireNonNull(uri, "uri"));
    }

    /** A builder; {@link Builder#uri(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean firstUse(ReplayKey key, Instant expiresAt) throws WimseException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expiresAt, "expiresAt");
        long ttl = ttlMillis(expiresAt);
        Long reply;
        try {
            String member = key.compactId();
            String tag = tag(key);
            reply = ReplayScript.run(link.get(), tag + member, tag + "held", ttl, perSenderLimit, member);
        } catch (WimseException e) {
            return unavailable(e);
        } catch (RuntimeException e) {
            return unavailable(new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                    "Redis replay cache did not answer (" + e.getClass().getSimpleName() + ")", e));
        }
        if (reply != null && reply == ReplayScript.FIRST_USE) {
            return true;
        }
        if (reply != null && reply == ReplayScript.REPLAY) {
            return false;
        }
        if (reply != null && reply == ReplayScript.SHARE_FULL) {
            // Redis answered: this is a refusal, not an outage, so failOpen does not apply.
            throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                    "this sender holds its whole share of the replay cache (" + perSenderLimit + " live proofs)");
        }
        return unavailable(new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                "Redis replay cache gave an unexpected reply to its script"));
    }

    /** The proof's entry in Redis: {@code <namespace>{<share id>}:<compact id>}. */
    String redisKey(ReplayKey key) {
        return tag(key) + key.compactId();
    }

    /** Its sender's count, a sorted set in the entry's slot: {@code <namespace>{<share id>}:held}. */
    String shareKey(ReplayKey key) {
        return tag(key) + "held";
    }

    /** What both keys of a sender start with, its hash tag included: {@code <namespace>{<share id>}:}. */
    private String tag(ReplayKey key) {
        return namespace + '{' + shareId(key) + "}:";
    }

    /** The first 96 bits of the sender's digest: the first 16 of {@link ReplayKey#shareId()}'s 43 characters. */
    static String shareId(ReplayKey key) {
        return key.shareId().substring(0, ID_LENGTH);
    }

    /** The live entries one sender may hold. */
    long perSenderLimit() {
        return perSenderLimit;
    }

    /** {@code max(MIN_TTL, expiresAt - now) + MARGIN}, with {@code expiresAt - now} capped at a day. */
    long ttlMillis(Instant expiresAt) {
        Duration left = Duration.between(clock.instant(), expiresAt);
        long ms = left.compareTo(Duration.ofMillis(MAX_ENTRY_MILLIS)) > 0 ? MAX_ENTRY_MILLIS : left.toMillis();
        return Math.max(MIN_TTL_MILLIS, ms) + MARGIN_MILLIS;
    }

    private boolean unavailable(WimseException e) throws WimseException {
        if (failOpen && !link.isClosed()) {
            LOG.warn("Redis replay cache unavailable; failOpen is set, so a proof is accepted WITHOUT a replay check: {}",
                    e.detail());
            return true;
        }
        throw e;
    }

    /** Connects now if not connected (the builder's early attempt). */
    RedisLink connection() throws WimseException {
        return link.get();
    }

    /** Closes the connection and releases Lettuce's threads; later calls fail closed. */
    @Override
    public void close() {
        link.close();
    }

    @Override
    public String toString() {
        // Never the URI: it may carry a password.
        return "RedisReplayCache[namespace=" + namespace + ", perSenderLimit=" + perSenderLimit
                + ", commandTimeout=" + commandTimeout
                + ", failOpen=" + failOpen + ", clock=" + clock + "]";
    }

    /** Builds a {@link RedisReplayCache}; strict (fail closed) by default. */
    public static final class Builder {
        private String uri;
        private String namespace = DEFAULT_NAMESPACE;
        private long perSenderRate = DEFAULT_PER_SENDER_RATE;
        private Duration retention = DEFAULT_RETENTION;
        /** An explicit count, or 0 for {@code perSenderRate x retention}. */
        private long perSenderLimit;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private boolean failOpen;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The Redis deployment: {@code redis://}, {@code rediss://}, {@code redis-sentinel://},
         * {@code redis-cluster://} or {@code rediss-cluster://} (see the class comment).
         */
        public Builder uri(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /**
         * Prefix of every key written (default {@value RedisReplayCache#DEFAULT_NAMESPACE}); without
         * {@code '{'} or {@code '}'}, since the cache places its own hash tag after it.
         */
        public Builder namespace(String namespace) {
            Objects.requireNonNull(namespace, "namespace");
            if (namespace.isEmpty()) {
                throw new IllegalArgumentException("namespace must not be empty");
            }
            if (namespace.indexOf('{') >= 0 || namespace.indexOf('}') >= 0) {
                throw new IllegalArgumentException("namespace must not contain '{' or '}'");
            }
            this.namespace = namespace;
            return this;
        }

        /**
         * The share of one sender, as a rate: {@code requestsPerSecond} sustained over the
         * {@linkplain #retention(Duration) retention window} (default
         * {@value RedisReplayCache#DEFAULT_PER_SENDER_RATE}/s), so at most
         * {@code requestsPerSecond x retention} live entries per sender; past it that sender's new
         * proofs are refused with {@link Reason#REPLAY_CACHE_UNAVAILABLE}. Set it above what one
         * honest workload sends per second (the verifiers of the store together), far below what the
         * Redis memory holds. Replaces an earlier {@link #perSenderLimit(long)} (the later call wins).
         */
        public Builder perSenderRate(long requestsPerSecond) {
            if (requestsPerSecond < 1) {
                throw new IllegalArgumentException("perSenderRate must be at least 1 request per second");
            }
            this.perSenderRate = requestsPerSecond;
            this.perSenderLimit = 0;
            return this;
        }

        /**
         * The window {@link #perSenderRate(long)} is stated over (default 121 s): how long one
         * entry lives, i.e. the longest proof lifetime the senders use, plus the verifier's leeway,
         * plus 1 s. From 1 s to one day.
         */
        public Builder retention(Duration retention) {
            Objects.requireNonNull(retention, "retention");
            if (retention.compareTo(Duration.ofSeconds(1)) < 0 || retention.compareTo(Duration.ofMillis(MAX_ENTRY_MILLIS)) > 0) {
                throw new IllegalArgumentException("retention must be from 1 s to one day");
            }
            this.retention = retention;
            return this;
        }

        /**
         * The share of one sender as an explicit count of live entries, instead of
         * {@link #perSenderRate(long) rate x retention} (default {@value RedisReplayCache#DEFAULT_PER_SENDER_LIMIT},
         * i.e. the default rate over the default retention); past it that sender's new proofs are
         * refused with {@link Reason#REPLAY_CACHE_UNAVAILABLE}. Replaces an earlier
         * {@link #perSenderRate(long)} (the later call wins).
         */
        public Builder perSenderLimit(long limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("perSenderLimit must be at least 1");
            }
            this.perSenderLimit = limit;
            return this;
        }

        /** The limit in live entries: the explicit count, or rate x retention (at least 1). */
        long effectivePerSenderLimit() {
            if (perSenderLimit > 0) {
                return perSenderLimit;
            }
            long millis = retention.toMillis();
            long limit = perSenderRate > Long.MAX_VALUE / millis ? Long.MAX_VALUE : perSenderRate * millis / 1000;
            return Math.max(1, limit);
        }

        /** How long a command may take before the cache counts as unavailable (default 500 ms). */
        public Builder commandTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("commandTimeout must be positive");
            }
            this.commandTimeout = timeout;
            return this;
        }

        /**
         * When {@code true}, {@code firstUse} answers {@code true} (and logs a WARN) while Redis cannot
         * answer, so replays go undetected during an outage. Default {@code false}: fail closed. A
         * sender past its share is refused either way (Redis answered).
         */
        public Builder failOpen(boolean failOpen) {
            this.failOpen = failOpen;
            return this;
        }

        /** The clock that TTLs are computed from (default the system UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the cache and tries to connect. A Redis server that cannot be reached now is not
         * an error here: calls fail closed until a connection is made.
         */
        public RedisReplayCache build() {
            if (uri == null) {
                throw new IllegalStateException("uri(...) is required");
            }
            RedisReplayCache cache = new RedisReplayCache(this, RedisTarget.parse(uri));
            try {
                cache.connection();
            } catch (WimseException e) {
                LOG.warn("Redis replay cache: no connection yet, requests fail closed until there is one: {}", e.detail());
            }
            return cache;
        }
    }
}
