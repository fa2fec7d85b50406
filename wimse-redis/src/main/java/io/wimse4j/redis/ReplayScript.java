package io.wimse4j.redis;

import io.lettuce.core.RedisNoScriptException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The one Lua script behind {@link RedisReplayCache#firstUse} (V-9, SEC-4): the replay check and
 * the sender's share in one atomic step. Redis runs a script to its end before it serves any other
 * command of any client, so the steps below are one indivisible operation for every verifier of
 * the cluster; on Redis Cluster both keys carry the sender's hash tag, so they live in one slot and
 * the script runs on the one master owning it.
 *
 * <pre>
 * KEYS[1] the proof's entry       &lt;namespace&gt;{&lt;share id&gt;}:&lt;compact id&gt;
 * KEYS[2] the sender's share      &lt;namespace&gt;{&lt;share id&gt;}:held, a sorted set:
 *                                 member = compact id, score = the entry's expiry (ms, Redis clock)
 * ARGV    TTL in ms, per-sender limit, compact id
 *
 * 1. the entry exists                     -&gt; 0  (a replay; answered even past the share)
 * 2. now := Redis TIME (ms); drop the set's members whose expiry has passed
 * 3. the set holds limit members or more  -&gt; -1 (the sender holds its whole share; nothing written)
 * 4. ZADD member (now + TTL); the set lives at least TTL (PEXPIRE, never shortened)
 * 5. SET entry PX TTL                     -&gt; 1  (first use)
 * </pre>
 *
 * The entry is the only thing the replay answer depends on: while it lives, step 1 answers 0. The
 * set only bounds how many live entries one sender holds; its scores come from the Redis clock the
 * entries expire by, so a member leaves the count when its entry leaves the store. A failure
 * between steps 4 and 5 (e.g. out of memory) leaves a member without an entry: the caller gets an
 * error (fail closed) and the sender one place fewer until that member expires, never one more.
 */
final class ReplayScript {
    /** Script reply: first use, recorded. */
    static final long FIRST_USE = 1;
    /** Script reply: the entry exists, a replay. */
    static final long REPLAY = 0;
    /** Script reply: the sender holds its whole share, nothing recorded. */
    static final long SHARE_FULL = -1;

    static final String SOURCE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then
              return 0
            end
            if redis.replicate_commands then
              redis.replicate_commands()
            end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local ttl = tonumber(ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. string.format('%d', now))
            if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then
              return -1
            end
            redis.call('ZADD', KEYS[2], string.format('%d', now + ttl), ARGV[3])
            if redis.call('PTTL', KEYS[2]) < ttl then
              redis.call('PEXPIRE', KEYS[2], ttl)
            end
            redis.call('SET', KEYS[1], '1', 'PX', ttl)
            return 1
            """;

    /** SHA-1 of {@link #SOURCE} in lower-case hex, as {@code EVALSHA} names it. */
    static final String SHA1 = sha1Hex(SOURCE);

    private ReplayScript() {
    }

    /**
     * Runs the script: {@code EVALSHA}, or {@code EVAL} when that server has not cached it yet (a new
     * or restarted server, a master after failover). Lettuce's exceptions pass through.
     */
    static Long run(RedisLink link, String entryKey, String shareKey, long ttlMillis, long perSenderLimit, String member) {
        String[] keys = {entryKey, shareKey};
        String[] args = {Long.toString(ttlMillis), Long.toString(perSenderLimit), member};
        try {
            return link.evalsha(SHA1, keys, args);
        } catch (RedisNoScriptException e) {
            return link.eval(SOURCE, keys, args);
        }
    }

    private static String sha1Hex(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(40);
            for (byte b : h) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }
}
