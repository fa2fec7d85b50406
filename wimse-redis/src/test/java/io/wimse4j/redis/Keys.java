package io.wimse4j.redis;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.replay.ReplayKey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Replay keys for the Redis tests, and the key names Redis must hold, computed apart from the cache. */
final class Keys {
    private Keys() {
    }

    /** {@code wimse://example.org/<path>}. */
    static WorkloadIdentifier workload(String path) {
        try {
            return WorkloadIdentifier.parse("wimse://example.org/" + path);
        } catch (WimseException e) {
            throw new AssertionError(e);
        }
    }

    /** The key of {@code jti} from workload {@code wimse://example.org/<sender>}. */
    static ReplayKey key(String sender, String jti) {
        return ReplayKey.of(workload(sender), jti);
    }

    /** {@code n} keys of {@code n} different senders, so that a Cluster spreads them over its masters. */
    static List<ReplayKey> spread(String prefix, int n) {
        List<ReplayKey> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(key(prefix + "/" + i, "jti-" + i));
        }
        return keys;
    }

    /**
     * {@code <namespace>{b64(SHA-256(td NUL id)[0..12))}:b64(SHA-256(td NUL id NUL jti)[0..12))}, b64 =
     * base64url without padding (16 characters each): the entry a workload's proof must leave in Redis.
     */
    static String storedKey(String namespace, String sender, String jti) {
        String who = "example.org\0wimse://example.org/" + sender;
        return namespace + '{' + b64sha256x96(who) + "}:" + b64sha256x96(who + '\0' + jti);
    }

    /** The sorted set counting that sender's entries. */
    static String storedShare(String namespace, String sender) {
        return namespace + '{' + b64sha256x96("example.org\0wimse://example.org/" + sender) + "}:held";
    }

    /** base64url of the first 96 bits of SHA-256. */
    private static String b64sha256x96(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
