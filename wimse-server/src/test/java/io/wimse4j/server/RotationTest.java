package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSource;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.VerifiedWit;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.server.testing.ServerHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key rotation per the contract: a new key is published before it signs (publish-ahead = JWKS
 * max-age), the old key stays published until every WIT it signed has expired and is then removed,
 * rotation runs on schedule, and under continuous traffic with a verifier that refreshes the JWKS on
 * its max-age no request fails.
 */
class RotationTest {
    static final String SVC = "wimse://example.org/svc";

    @TempDir
    Path tmp;
    ServerHarness h;

    void start(Consumer<io.wimse4j.server.ServerConfig.Builder> c) throws Exception {
        h = new ServerHarness(tmp.resolve("state"), c, null);
        h.register(SVC, "\"join_token\",\"wit\"", null);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    static String kidOf(String jws) {
        return json(new String(Base64.getUrlDecoder().decode(jws.split("\\.")[0]))).get("kid").textValue();
    }

    List<String> publishedKids() throws Exception {
        List<String> kids = new ArrayList<>();
        json(h.get("/.well-known/jwks.json").body()).get("keys").forEach(k -> kids.add(k.get("kid").textValue()));
        return kids;
    }

    JsonNode keyInfo(String kid) throws Exception {
        for (JsonNode k : json(h.admin("GET", "/admin/v1/keys", null).body()).get("keys")) {
            if (k.get("kid").textValue().equals(kid)) {
                return k;
            }
        }
        return null;
    }

    String issue(WorkloadKeyPair key) throws Exception {
        HttpResponse<String> r = h.issueWithJoinToken(key, h.joinToken(SVC));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body()).get("wit").textValue();
    }

    @Test
    void newKeyIsPublishedBeforeItSignsAndOldKeyRetiresAfterMaxWitLifetime() throws Exception {
        start(b -> { });
        String oldKid = publishedKids().get(0);
        JsonNode rotation = json(h.admin("POST", "/admin/v1/keys/rotate", null).body());
        String newKid = rotation.get("kid").textValue();
        Instant signsFrom = Instant.parse(rotation.get("signs_from").textValue());
        assertThat(signsFrom).isEqualTo(h.clock.instant().plusSeconds(300));
        assertThat(Instant.parse(rotation.get("publishes_at").textValue())).isEqualTo(h.clock.instant());

        // published at once, in state next, not signing yet
        assertThat(publishedKids()).containsExactlyInAnyOrder(oldKid, newKid);
        assertThat(keyInfo(newKid).get("state").textValue()).isEqualTo("next");
        assertThat(kidOf(issue(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA)))).isEqualTo(oldKid);

        // one second before publish-ahead ends: still the old key
        h.clock.advance(Duration.ofSeconds(299));
        WorkloadKeyPair lastOldKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String lastOldWit = issue(lastOldKey);
        assertThat(kidOf(lastOldWit)).isEqualTo(oldKid);

        // publish-ahead over: the new key signs, the old one is retiring
        h.clock.advance(Duration.ofSeconds(1));
        assertThat(kidOf(issue(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA)))).isEqualTo(newKid);
        assertThat(keyInfo(newKid).get("state").textValue()).isEqualTo("active");
        JsonNode old = keyInfo(oldKid);
        assertThat(old.get("state").textValue()).isEqualTo("retiring");
        // retire_after = last signature + max WIT lifetime (10 min) + leeway (60 s)
        assertThat(Instant.parse(old.get("retire_after").textValue())).isEqualTo(signsFrom.plusSeconds(600 + 60));

        // the last WIT of the old key still renews while the old key is published
        WorkloadKeyPair renewedKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        HttpResponse<String> renewed = h.renew(lastOldWit, lastOldKey, renewedKey);
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        assertThat(kidOf(json(renewed.body()).get("wit").textValue())).isEqualTo(newKid);

        // just before retire_after the old key is still published
        h.clock.set(signsFrom.plusSeconds(659));
        assertThat(publishedKids()).contains(oldKid);
        // at retire_after it is removed, and a WIT it signed is refused for renewal
        h.clock.set(signsFrom.plusSeconds(660));
        assertThat(publishedKids()).containsExactly(newKid);
        assertThat(keyInfo(oldKid)).isNull();
        // (the client library would refuse to sign with an expired WIT's key, KEY-3: build the WPT by hand)
        long now = h.clock.instant().getEpochSecond();
        var claims = io.wimse4j.core.internal.StrictJson.mapper().createObjectNode().put("aud", ServerHarness.AUDIENCE)
                .put("iat", now).put("exp", now + 60).put("jti", io.wimse4j.core.internal.JwsWriter.randomJwtId())
                .put("wth", io.wimse4j.core.internal.Hashes.tokenHash(lastOldWit));
        String wpt = io.wimse4j.core.internal.JwsWriter.sign(lastOldKey.signer(), "wpt+jwt", claims);
        WorkloadKeyPair next = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        assertProblem(h.post("/v1/wit", "application/json", ServerHarness.body(next, h.proof(next, c -> { }), "{\"method\":\"wit\"}"),
                java.util.Map.of("Workload-Identity-Token", lastOldWit, "Workload-Proof-Token", wpt)), 400, "expired");
        // C2-5: retire_after is exactly when the old key's last WIT stops being acceptable (exp + leeway),
        // so the pipeline refuses it as expired before it looks for the (now unpublished) key
    }

    @Test
    void rotationIsScheduled() throws Exception {
        start(b -> b.rotateEvery(Duration.ofHours(1)));
        assertThat(publishedKids()).hasSize(1);
        h.clock.advance(Duration.ofMinutes(59));
        assertThat(publishedKids()).hasSize(1);
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(publishedKids()).hasSize(2);
    }

    @Test
    void rotatedKeysSurviveRestart() throws Exception {
        start(b -> { });
        String newKid = json(h.admin("POST", "/admin/v1/keys/rotate", null).body()).get("kid").textValue();
        List<String> before = publishedKids();
        h.restart();
        assertThat(publishedKids()).isEqualTo(before);
        assertThat(keyInfo(newKid).get("state").textValue()).isEqualTo("next");
    }

    @Test
    void edDsaSigningKeyOption() throws Exception {
        start(b -> b.keyAlgorithm(JwsAlgorithm.EdDSA));
        assertThat(json(h.get("/.well-known/jwks.json").body()).get("keys").get(0).get("alg").textValue()).isEqualTo("EdDSA");
        String wit = issue(WorkloadKeyPair.generate(JwsAlgorithm.ES256));
        TrustBundle bundle = TrustBundle.fromJwks(new TrustDomain("example.org"), h.get("/.well-known/jwks.json").body());
        VerifiedWit v = WitVerifier.builder().trust(d -> Optional.of(bundle)).clock(h.clock).build().verify(wit);
        assertThat(v.subject().value()).isEqualTo(SVC);
    }

    /** Fetches the JWKS over HTTPS and keeps it for its max-age (300 s) on the test clock. */
    final class RefreshingJwks implements TrustBundleSource {
        private TrustBundle bundle;
        private Instant fetchedAt;
        final AtomicInteger fetches = new AtomicInteger();

        @Override
        public synchronized Optional<TrustBundle> bundleFor(TrustDomain domain) {
            Instant now = h.clock.instant();
            if (bundle == null || !now.isBefore(fetchedAt.plusSeconds(300))) {
                try {
                    HttpResponse<String> r = h.get("/.well-known/jwks.json");
                    bundle = TrustBundle.fromJwks(domain, r.body());
                    fetchedAt = now;
                    fetches.incrementAndGet();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return Optional.of(bundle);
        }
    }

    @Test
    void rotationUnderContinuousTrafficFailsNoRequest() throws Exception {
        start(b -> { });
        RefreshingJwks jwks = new RefreshingJwks();
        WitVerifier verifier = WitVerifier.builder().trust(jwks).clock(h.clock).cacheSize(0)
                .maxLifetime(Duration.ofMinutes(10)).build();
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        java.util.Set<String> signingKids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        String originalKid = publishedKids().get(0);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            Thread t = new Thread(() -> {
                try {
                    WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
                    String wit = issue(key);
                    while (running.get()) {
                        WorkloadKeyPair next = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
                        HttpResponse<String> r = ok.get() % 5 == 0 ? h.issueWithJoinToken(next, h.joinToken(SVC))
                                : h.renew(wit, key, next);
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode() + " " + r.body());
                            continue;
                        }
                        String newWit = json(r.body()).get("wit").textValue();
                        try {
                            verifier.verify(newWit);
                        } catch (WimseException e) {
                            failures.add("verify: " + e.reason() + " " + e.detail());
                            continue;
                        }
                        signingKids.add(kidOf(newWit));
                        wit = newWit;
                        key = next;
                        ok.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }, "traffic-" + w);
            t.start();
            workers.add(t);
        }
        List<String> rotatedKids = new ArrayList<>();
        // 40 steps of 10 s, a rotation every 8 steps: 5 rotations over 400 s of test time
        for (int step = 0; step < 40; step++) {
            if (step % 8 == 0) {
                HttpResponse<String> r = h.admin("POST", "/admin/v1/keys/rotate", null);
                assertThat(r.statusCode()).isEqualTo(200);
                rotatedKids.add(json(r.body()).get("kid").textValue());
            }
            Thread.sleep(40);
            h.clock.advance(Duration.ofSeconds(10));
        }
        int before = ok.get();
        // let the traffic run on the final key set for a few more requests (no timing asserted)
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ok.get() < before + 4 && failures.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        running.set(false);
        for (Thread t : workers) {
            t.join(30_000);
        }
        assertThat(failures).isEmpty();
        assertThat(before).as("requests completed during the rotations").isGreaterThan(10);
        assertThat(jwks.fetches.get()).as("the verifier refreshed its JWKS").isGreaterThan(1);
        // the signing key really changed while traffic ran: rotations at 0 s and 80 s sign from 300 s and 380 s
        assertThat(signingKids).contains(originalKid, rotatedKids.get(0), rotatedKids.get(1));
    }
}
