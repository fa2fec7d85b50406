package io.wimse4j.redis;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.replay.ReplayKey;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The per-sender share of {@link RedisReplayCache} as a table (V-9, SEC-4), run against a real
 * standalone server ({@link RedisReplayCacheTest}) and a real Cluster ({@link RedisClusterReplayCacheTest}).
 * Each row is a sequence of calls with a share of {@value #LIMIT}, on verifiers 0 and 1 (two
 * strict cache instances on one store) and 2 (a {@code failOpen} instance), in a namespace of its own.
 */
final class ShareTable {
    /** The share every row runs with. */
    static final int LIMIT = 3;
    /** Longer than the shortest entry lives in Redis (1 s minimum TTL plus the 1 s margin). */
    private static final long EXPIRY_PAUSE_MILLIS = 2_300;

    enum Outcome { FIRST_USE, REPLAY, REFUSED, PAUSE }

    /**
     * One call: verifier {@code verifier} asks about {@code jti} from {@code sender} (a workload path,
     * or {@code "scope:<name>"}); a short-lived one expires at once (kept the minimum TTL).
     */
    record Step(int verifier, String sender, String jti, boolean shortLived, Outcome expected) {
        ReplayKey key() {
            return sender.startsWith("scope:") ? ReplayKey.ofScope(sender.substring(6), jti) : Keys.key(sender, jti);
        }

        @Override
        public String toString() {
            return expected == Outcome.PAUSE ? "pause" : "v" + verifier + " " + sender + "/" + jti + " -> " + expected;
        }
    }

    record Row(String name, List<Step> steps) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Step first(int v, String sender, String jti) {
        return new Step(v, sender, jti, false, Outcome.FIRST_USE);
    }

    private static Step firstShort(int v, String sender, String jti) {
        return new Step(v, sender, jti, true, Outcome.FIRST_USE);
    }

    private static Step replay(int v, String sender, String jti) {
        return new Step(v, sender, jti, false, Outcome.REPLAY);
    }

    private static Step refused(int v, String sender, String jti) {
        return new Step(v, sender, jti, false, Outcome.REFUSED);
    }

    private static Step pause() {
        return new Step(0, "", "", false, Outcome.PAUSE);
    }

    private static Row row(String name, Step... steps) {
        return new Row(name, List.of(steps));
    }

    static Stream<Row> rows() {
        return Stream.of(
                row("V-9 within the share every first use is accepted",
                        first(0, "a", "1"), first(0, "a", "2"), first(0, "a", "3"), replay(0, "a", "1")),
                row("V-9 over the share a new proof is refused with REPLAY_CACHE_UNAVAILABLE and not recorded",
                        first(0, "a", "1"), first(0, "a", "2"), first(0, "a", "3"),
                        refused(0, "a", "4"), refused(0, "a", "4")),
                row("V-9 over the share a replay is still answered false",
                        first(0, "a", "1"), first(0, "a", "2"), first(0, "a", "3"), refused(0, "a", "4"),
                        replay(0, "a", "2"), replay(0, "a", "3"), replay(0, "a", "1")),
                row("V-9 another sender is unaffected by a full share",
                        first(0, "a", "1"), first(0, "a", "2"), first(0, "a", "3"), refused(0, "a", "4"),
                        first(0, "b", "4"), first(0, "b", "1"), first(0, "a/child", "4"), refused(0, "a", "5")),
                row("V-9 a non-workload scope holds a share of its own",
                        first(0, "scope:wimse-pop", "1"), first(0, "scope:wimse-pop", "2"),
                        first(0, "scope:wimse-pop", "3"), refused(0, "scope:wimse-pop", "4"),
                        replay(0, "scope:wimse-pop", "1"), first(0, "a", "4"), first(0, "scope:other", "4")),
                row("V-9 expiry frees a place of the share",
                        firstShort(0, "a", "1"), first(0, "a", "2"), first(0, "a", "3"), refused(0, "a", "4"),
                        pause(), first(0, "a", "4"), refused(0, "a", "5"), replay(0, "a", "2")),
                row("V-9 a proof recorded again after its entry expired is counted once",
                        firstShort(0, "a", "1"), pause(), first(0, "a", "1"), first(0, "a", "2"),
                        first(0, "a", "3"), refused(0, "a", "4")),
                row("SEC-4 two verifiers on one store share one count",
                        first(0, "a", "1"), first(1, "a", "2"), first(0, "a", "3"), refused(1, "a", "4"),
                        refused(0, "a", "4"), replay(1, "a", "1"), replay(0, "a", "2"), first(1, "b", "1")),
                row("V-9 failOpen never lifts a full share (Redis answered)",
                        first(2, "a", "1"), first(2, "a", "2"), first(2, "a", "3"), refused(2, "a", "4"),
                        refused(0, "a", "4"), replay(2, "a", "1")));
    }

    /** Runs {@code row} against the deployment at {@code uri}. */
    static void run(Row row, String uri, Clock clock) throws Exception {
        String namespace = "wimse:share:" + UUID.randomUUID() + ":";
        Map<Integer, RedisReplayCache> caches = new HashMap<>();
        List<String> done = new ArrayList<>();
        try {
            for (Step step : row.steps()) {
                if (step.expected() == Outcome.PAUSE) {
                    Thread.sleep(EXPIRY_PAUSE_MILLIS);
                    done.add(step.toString());
                    continue;
                }
                RedisReplayCache cache = caches.computeIfAbsent(step.verifier(), v -> RedisReplayCache.builder()
                        .uri(uri).clock(clock).namespace(namespace).perSenderLimit(LIMIT).failOpen(v == 2).build());
                Instant now = clock.instant();
                Instant expiresAt = step.shortLived() ? now : now.plusSeconds(300);
                String where = "after " + done;
                switch (step.expected()) {
                    case FIRST_USE -> assertThat(cache.firstUse(step.key(), expiresAt)).as("%s: %s", where, step).isTrue();
                    case REPLAY -> assertThat(cache.firstUse(step.key(), expiresAt)).as("%s: %s", where, step).isFalse();
                    case REFUSED -> assertThatThrownBy(() -> cache.firstUse(step.key(), expiresAt)).as("%s: %s", where, step)
                            .isInstanceOfSatisfying(WimseException.class, e -> {
                                assertThat(e.reason()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE);
                                assertThat(e.detail()).as("refused for its share, not an outage").contains("share");
                            });
                    default -> throw new IllegalStateException();
                }
                done.add(step.toString());
            }
        } finally {
            caches.values().forEach(RedisReplayCache::close);
        }
    }
}
