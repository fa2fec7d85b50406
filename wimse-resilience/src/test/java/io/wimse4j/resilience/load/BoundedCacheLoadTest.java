package io.wimse4j.resilience.load;

import io.wimse4j.client.SigningHttpClient;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.replay.InMemoryReplayCache;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heap and behaviour under load with the caches configured small (V-9, SEC-4): an
 * {@link InMemoryReplayCache} of {@value #MAX_BYTES} bytes ({@code capacity() = 3/4 × maxBytes / 16} = 192
 * live entries) and a WIT cache and key cache of {@value #WIT_CACHE} entries, behind {@code WimseFilter} on
 * Jetty over TLS ({@link BoundedEchoServer}), called by {@link LoadSettings#threads()} threads for
 * {@value #CALLERS} workloads (more than the WIT cache holds: it keeps evicting). The verifier's clock
 * stands still during each load phase, so every proof pushed is inside the replay window: the run pushes
 * far more distinct proofs than the capacity, and the cache shows its documented behaviour
 * ({@code InMemoryReplayCache}'s Javadoc, "Guarantees"):
 * <ul>
 *   <li>exactly {@code capacity()} proofs are accepted, then every fresh one fails closed: 503
 *       {@link Reason#REPLAY_CACHE_UNAVAILABLE}, detail "in-memory replay cache is full";</li>
 *   <li>no live entry is evicted: the first proof accepted, replayed while the cache is full (during the
 *       load and after it), is still refused as a replay ({@link Reason#REPLAY}, 401 under {@code Authorization: WPT});</li>
 *   <li>once the entries expired (the clock moved past proof lifetime + leeway + margin) the whole capacity is
 *       free again: a second load phase is accepted {@code capacity()} times more, and the old proof is now
 *       refused as {@link Reason#EXPIRED}.</li>
 * </ul>
 * <b>Heap bound</b>, asserted on the used heap after {@code System.gc()} (MemoryMXBean) measured after the
 * warm-up and after both phases: it grows by less than the configured caps' documented cost (replay tables
 * at most {@code maxBytes}, the per-sender ledgers about 1.2 KB each for at most {@value #MAX_SENDERS}
 * senders, a WIT cache entry at most about 11.4 KB plus its token, a key cache entry about 9.3 KB:
 * {@code WitVerifier.Builder#cacheSize}, {@code #keyCacheSize}; the TLS session caches of server and client,
 * {@value BoundedEchoServer#TLS_SESSIONS} sessions each, at most {@value #SESSION_BYTES} bytes a session: every
 * refused POST costs a new connection, and with the JDK's default 20,480 sessions a 60 s run grew the heap by
 * 27 MB) plus {@value #SLACK_MIB} MiB of slack for
 * what is not a cache (Jetty's and the JDK client's buffer pools, GC noise). A per-request
 * leak of more than slack / requests (printed; a few KB at the CI duration, less on a longer run) fails it;
 * an unbounded replay store of these proofs would too on a long run. Also asserted directly:
 * {@code size() == capacity()} while full and {@code tableBytes() <= maxBytes}.
 */
class BoundedCacheLoadTest {
    static final long MAX_BYTES = 4096;
    static final int WIT_CACHE = 4;
    static final int MAX_SENDERS = 64;
    static final int CALLERS = 16;
    static final long SLACK_MIB = 16;
    /** A generous bound on one cached TLS session (its peer's two certificates, secrets, ticket). */
    static final long SESSION_BYTES = 16_384;
    static final Duration PROOF_TTL = Duration.ofSeconds(5);
    static final Duration LEEWAY = Duration.ofSeconds(2);
    /** The shortest load phase. */
    static final Duration MIN_PHASE = Duration.ofSeconds(5);
    /** Proof lifetime + leeway + 1 s, the retention the per-sender rate is stated over. */
    static final Duration RETENTION = PROOF_TTL.plus(LEEWAY).plusSeconds(1);

    @Test
    void V_9_aFullReplayCacheFailsClosedNeverEvictsALiveEntryAndFreesAfterExpiry() throws Exception {
        int threads = Math.min(LoadSettings.threads(), CALLERS);
        // each phase half the duration, at least 5 s: enough, even on busy cores, to push far more proofs than the capacity
        Duration phase = LoadSettings.duration().dividedBy(2).compareTo(MIN_PHASE) < 0 ? MIN_PHASE : LoadSettings.duration().dividedBy(2);
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
        // 20 proofs per second per sender over 8 s: a share of 180, under the capacity (the builder requires it),
        // and far above the ~12 each of 16 senders holds when the cache is full: it fills before any share does
        InMemoryReplayCache cache = InMemoryReplayCache.builder().maxBytes(MAX_BYTES).perSenderRate(20).retention(RETENTION)
                .maxSenders(MAX_SENDERS).clock(clock).build();
        long capacity = cache.capacity();
        assertThat(capacity).as("3/4 of 4096 / 16 slots").isEqualTo(192);
        Callers callers = new Callers(CALLERS, clock);
        RequestVerifier verifier = RequestVerifier.builder().trust(TrustBundleSet.of(callers.bundle())).clock(clock)
                .leeway(LEEWAY).replayCache(cache).witCacheSize(WIT_CACHE).witKeyCacheSize(WIT_CACHE).build();
        try (BoundedEchoServer server = new BoundedEchoServer(verifier)) {
            HttpClient http = Echo.http(server.clientContext());
            SigningHttpClient[] clients = new SigningHttpClient[CALLERS];
            for (int w = 0; w < CALLERS; w++) {
                RequestSigner signer = RequestSigner.builder().credentials(CredentialSource.fixed(callers.credentials.get(w)))
                        .proofCreator(WptCreator.create(clock, PROOF_TTL)).audience(u -> Echo.BASE + u.getRawPath())
                        .transport(WptTransport.AUTHORIZATION).build();
                clients[w] = SigningHttpClient.builder().httpClient(http).signer(signer).build();
            }
            // one accepted proof per workload; the first is the one replayed later
            HttpRequest early = null;
            for (int w = 0; w < CALLERS; w++) {
                HttpResponse<String> r = clients[w].send(Echo.request(server.localUri(), w), HttpResponse.BodyHandlers.ofString());
                assertThat(Echo.judge(0, r, Callers.id(w)).expected()).as("warm-up %s: %s", w, Echo.label(r)).isTrue();
                if (early == null) {
                    early = HttpRequest.newBuilder(r.request(), (n, v) -> true).build();
                }
            }
            assertThat(cache.size()).isEqualTo(CALLERS);
            HttpRequest first = early;
            AtomicReference<HttpRequest> lastAccepted = new AtomicReference<>();

            LoadRun.Result full = LoadRun.run("bounded caches: fill, then full (fail closed)", threads, phase, 0,
                    (t, seq) -> {
                        if (t == 0 && seq % 10 == 9) { // the earliest proof again, while the others fill the cache
                            long t0 = System.nanoTime();
                            HttpResponse<String> r = http.send(first, HttpResponse.BodyHandlers.ofString());
                            return is(r, Reason.REPLAY, 401) ? LoadRun.Sample.expected(System.nanoTime() - t0, "401 replay")
                                    : LoadRun.Sample.unexpected(System.nanoTime() - t0, "early replay: " + Echo.label(r));
                        }
                        return fresh(clients, server, t, threads, seq, lastAccepted);
                    });
            LoadReport.add(full, "replay cache " + MAX_BYTES + " B (capacity " + capacity + "), WIT cache " + WIT_CACHE + ", "
                    + CALLERS + " workloads, clock standing still: " + full.outcomes());
            assertThat(full.unexpected()).as("unexpected outcomes, first: %s", full.firstUnexpected()).isZero();
            assertThat(full.outcome("200") + CALLERS).as("accepted exactly up to the capacity").isEqualTo(capacity);
            assertThat(full.outcome("503 full")).as("more distinct proofs than the capacity, within the window").isGreaterThan(capacity);
            assertThat(full.outcome("401 replay")).as("the early proof replayed while full").isPositive();
            assertThat(cache.size()).isEqualTo(capacity);
            assertThat(cache.tableBytes()).isLessThanOrEqualTo(MAX_BYTES);

            // after the load, still full: the early and a late accepted proof are replays, a fresh one fails closed
            assertThat(is(http.send(first, HttpResponse.BodyHandlers.ofString()), Reason.REPLAY, 401)).isTrue();
            assertThat(is(http.send(lastAccepted.get(), HttpResponse.BodyHandlers.ofString()), Reason.REPLAY, 401)).isTrue();
            HttpResponse<String> refused = clients[1].send(Echo.request(server.localUri(), 0), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(Reason.REPLAY_CACHE_UNAVAILABLE.httpStatus()).isEqualTo(503);
            ProblemDetails p = Echo.problem(refused).orElseThrow();
            assertThat(p.is(Reason.REPLAY_CACHE_UNAVAILABLE)).isTrue();
            assertThat(p.detail()).startsWith("in-memory replay cache is full (192 live entries, 4096 bytes)");

            // past every entry's expiry: the capacity is free, the early proof is refused as expired, not accepted
            clock.advance(RETENTION.plusSeconds(1));
            assertThat(cache.size()).isZero();
            assertThat(is(http.send(first, HttpResponse.BodyHandlers.ofString()), Reason.EXPIRED, 401)).isTrue();
            LoadRun.Result again = LoadRun.run("bounded caches: after expiry, fill again", threads, phase, 0,
                    (t, seq) -> fresh(clients, server, t, threads, seq, lastAccepted));
            long heapAfter = LoadRun.usedHeapAfterGc();
            LoadReport.add(again, "clock moved " + RETENTION.plusSeconds(1).toSeconds() + " s on: " + again.outcomes());
            assertThat(again.unexpected()).as("unexpected outcomes, first: %s", again.firstUnexpected()).isZero();
            assertThat(again.outcome("200")).as("the whole capacity freed").isEqualTo(capacity);
            assertThat(again.outcome("503 full")).isGreaterThan(capacity);
            assertThat(cache.tableBytes()).isLessThanOrEqualTo(MAX_BYTES);

            long witLength = callers.credentials.get(0).wit().length();
            long caps = MAX_BYTES + MAX_SENDERS * 1229L + WIT_CACHE * (11_674L + 2 * witLength) + WIT_CACHE * 9_523L
                    + 2L * BoundedEchoServer.TLS_SESSIONS * SESSION_BYTES;
            long bound = caps + (SLACK_MIB << 20);
            long grown = heapAfter - full.heapBefore();
            long requests = full.requests() + again.requests();
            System.out.printf("[load] bounded caches: heap after GC %s -> %s (%+d bytes over %d requests), bound %d bytes"
                            + " (caps %d + slack %d MiB: a leak above %d bytes per request would fail)%n", LoadReport.mib(full.heapBefore()),
                    LoadReport.mib(heapAfter), grown, requests, bound, caps, SLACK_MIB, bound / Math.max(1, requests));
            assertThat(grown).as("heap growth over %d requests, bound from the caps", requests).isLessThan(bound);
        }
    }

    /** A fresh proof by one of thread {@code t}'s workloads: 200 for it, or 503 "full"; anything else is unexpected. */
    private static LoadRun.Sample fresh(SigningHttpClient[] clients, BoundedEchoServer server, int t, int threads, long seq,
                                        AtomicReference<HttpRequest> lastAccepted) throws Exception {
        int w = (int) ((t + (long) threads * Math.floorMod(seq, (long) Math.max(1, CALLERS / threads))) % CALLERS);
        HttpRequest req = Echo.request(server.localUri(), seq);
        long t0 = System.nanoTime();
        HttpResponse<String> r = clients[w].send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        long ns = System.nanoTime() - t0;
        LoadRun.Sample ok = Echo.judge(ns, r, Callers.id(w));
        if (ok.expected()) {
            lastAccepted.set(HttpRequest.newBuilder(r.request(), (n, v) -> true).build());
            return ok;
        }
        if (is(r, Reason.REPLAY_CACHE_UNAVAILABLE, 503)
                && Echo.problem(r).orElseThrow().detail().startsWith("in-memory replay cache is full")) {
            return LoadRun.Sample.expected(ns, "503 full");
        }
        return LoadRun.Sample.unexpected(ns, Echo.label(r));
    }

    /** The RFC 9457 problem of {@code reason} with {@code status}. */
    static boolean is(HttpResponse<String> r, Reason reason, int status) {
        return r.statusCode() == status && Echo.problem(r).map(p -> p.is(reason)).orElse(false);
    }
}
