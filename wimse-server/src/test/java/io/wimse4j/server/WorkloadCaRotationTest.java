package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.server.internal.StateDir;
import io.wimse4j.server.internal.WorkloadCa;
import io.wimse4j.server.testing.ServerHarness;
import io.wimse4j.x509.CertificateRequests;
import io.wimse4j.x509.KeyType;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.WicValidator;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rotation of the workload CA with overlap: a new CA is published (PEM bundle, SPIFFE x509-svid
 * entries) a publish-ahead before it signs WICs, the old one stays published until its last WIC has
 * expired, and the schedule survives a restart at every step.
 */
class WorkloadCaRotationTest {
    static final String SVC = "wimse://example.org/svc";
    static final TrustDomain TD = new TrustDomain(ServerHarness.TD);
    /** The harness's publish-ahead (the JWKS max-age, 300 s). */
    static final Duration AHEAD = Duration.ofSeconds(300);

    @TempDir
    Path tmp;
    ServerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
        h.register(SVC, "\"join_token\"", null);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    List<X509Certificate> issueChain() throws Exception {
        String csr = CertificateRequests.createPem(KeyType.EC_P256.generate(), WorkloadIdentifier.parse(SVC), List.of());
        HttpResponse<String> r = h.post("/v1/wic", "application/json", WicIssuanceTest.body(csr,
                WicIssuanceTest.joinToken(h.joinToken(SVC))), Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Pem.certificates(json(r.body()).get("certificate_chain").textValue());
    }

    List<X509Certificate> bundle() throws Exception {
        return Pem.certificates(h.get("/v1/x509-bundle.pem").body());
    }

    JsonNode spiffe() throws Exception {
        return json(h.get(ServerHandler.SPIFFE_BUNDLE_PATH).body());
    }

    static List<X509Certificate> x509Entries(JsonNode spiffe) throws Exception {
        List<X509Certificate> out = new ArrayList<>();
        for (JsonNode k : spiffe.get("keys")) {
            if (k.get("use").textValue().equals("x509-svid")) {
                out.add((X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(
                        new java.io.ByteArrayInputStream(Base64.getDecoder().decode(k.get("x5c").get(0).textValue()))));
            }
        }
        return out;
    }

    WicValidator validator() throws Exception {
        return WicValidator.builder().clock(h.clock).forClients()
                .trust(X509TrustSource.of(X509TrustBundle.fromPem(TD, h.get("/v1/x509-bundle.pem").body()))).build();
    }

    static boolean signedBy(List<X509Certificate> chain, X509Certificate ca) {
        try {
            chain.get(0).verify(ca.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void MT_7_aNewCaIsPublishedBeforeItSignsAndTheOldOneStaysUntilItsLastWicExpired() throws Exception {
        X509Certificate old = bundle().get(0);
        long seq0 = spiffe().get("spiffe_sequence").longValue();

        HttpResponse<String> r = h.admin("POST", "/admin/v1/wic-ca/rotate", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode rot = json(r.body());
        assertThat(Duration.between(java.time.Instant.parse(rot.get("publishes_at").textValue()),
                java.time.Instant.parse(rot.get("signs_from").textValue()))).isEqualTo(AHEAD);

        // published at once, in both bundles, with a higher sequence
        List<X509Certificate> both = bundle();
        assertThat(both).hasSize(2).contains(old);
        X509Certificate fresh = both.get(1);
        assertThat(fresh.getSerialNumber().toString(16)).isEqualTo(rot.get("serial").textValue());
        JsonNode sp = spiffe();
        assertThat(x509Entries(sp)).containsExactlyElementsOf(both);
        assertThat(sp.get("spiffe_sequence").longValue()).isGreaterThan(seq0);
        long seq1 = sp.get("spiffe_sequence").longValue();

        // still signed by the old CA until the publish-ahead has passed
        List<X509Certificate> byOld = issueChain();
        assertThat(signedBy(byOld, old)).isTrue();
        assertThat(byOld.get(1)).isEqualTo(old);
        h.clock.advance(AHEAD.minusSeconds(1));
        assertThat(signedBy(issueChain(), old)).isTrue();
        h.clock.advance(Duration.ofSeconds(1));
        List<X509Certificate> byNew = issueChain();
        assertThat(signedBy(byNew, fresh)).isTrue();
        assertThat(byNew.get(1)).isEqualTo(fresh);

        // both validate against the served bundle while the old CA is published
        h.clock.advance(Duration.ofMinutes(30));
        assertThat(validator().validate(byOld).identifier().value()).isEqualTo(SVC);
        assertThat(validator().validate(byNew).identifier().value()).isEqualTo(SVC);
        JsonNode list = json(h.admin("GET", "/admin/v1/wic-ca", null).body()).get("authorities");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("state").textValue()).isEqualTo("retiring");
        assertThat(list.get(0).has("retire_after")).isTrue();
        assertThat(list.get(1).get("state").textValue()).isEqualTo("active");

        // the old CA stays until the longest WIC lifetime + leeway after its successor signs, then goes
        h.clock.advance(ServerConfig.MAX_WIC_TTL.minus(Duration.ofMinutes(30)));
        assertThat(bundle()).hasSize(2);
        h.clock.advance(Duration.ofSeconds(60));
        assertThat(bundle()).containsExactly(fresh);
        sp = spiffe();
        assertThat(x509Entries(sp)).containsExactly(fresh);
        assertThat(sp.get("spiffe_sequence").longValue()).isGreaterThan(seq1);
        assertThat(signedBy(issueChain(), fresh)).isTrue();
        // a WIC of the old CA no longer validates against the served bundle
        WicValidator v = validator();
        assertThatThrownBy(() -> v.validate(byOld)).isInstanceOf(WimseException.class);
    }

    @Test
    void MT_1_aRestartMidRotationKeepsTheSchedule() throws Exception {
        X509Certificate old = bundle().get(0);
        assertThat(h.admin("POST", "/admin/v1/wic-ca/rotate", null).statusCode()).isEqualTo(200);
        List<X509Certificate> both = bundle();
        String spiffeBefore = h.get(ServerHandler.SPIFFE_BUNDLE_PATH).body();
        Path file = h.stateDir.resolve(WorkloadCa.FILE);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(StateDir.FILE_PERMS);
        assertThat(h.stateDir.resolve(WorkloadCa.KEY)).doesNotExist();

        // published, not yet signing: so after a restart
        h.clock.advance(Duration.ofSeconds(10));
        h.restart();
        assertThat(bundle()).containsExactlyElementsOf(both);
        assertThat(h.get(ServerHandler.SPIFFE_BUNDLE_PATH).body()).isEqualTo(spiffeBefore);
        List<X509Certificate> byOld = issueChain();
        assertThat(signedBy(byOld, old)).isTrue();

        // signing after the publish-ahead, the old one still published, after another restart
        h.clock.advance(AHEAD);
        h.restart();
        assertThat(bundle()).containsExactlyElementsOf(both);
        assertThat(signedBy(issueChain(), both.get(1))).isTrue();
        assertThat(validator().validate(byOld).identifier().value()).isEqualTo(SVC);

        // removed after the retention, and still so after a restart
        h.clock.advance(ServerConfig.MAX_WIC_TTL.plusMinutes(2));
        h.restart();
        assertThat(bundle()).containsExactly(both.get(1));
        String spiffeAfter = h.get(ServerHandler.SPIFFE_BUNDLE_PATH).body();
        h.restart();
        assertThat(h.get(ServerHandler.SPIFFE_BUNDLE_PATH).body()).isEqualTo(spiffeAfter);
        assertThat(Base64.getEncoder().encodeToString(both.get(1).getEncoded()))
                .isEqualTo(spiffe().get("keys").findValues("x5c").get(0).get(0).textValue());
    }

    @Test
    void MT_7_theCaRotatesByItselfWhenLessThanAThirdOfItsValidityRemains() throws Exception {
        X509Certificate old = bundle().get(0);
        Duration validity = Duration.between(old.getNotBefore().toInstant(), old.getNotAfter().toInstant());
        h.clock.advance(validity.multipliedBy(2).dividedBy(3).minusHours(1));
        assertThat(bundle()).containsExactly(old);
        h.clock.advance(Duration.ofHours(2));
        List<X509Certificate> both = bundle();
        assertThat(both).hasSize(2).startsWith(old);
        assertThat(signedBy(issueChain(), old)).isTrue();
        h.clock.advance(AHEAD);
        assertThat(signedBy(issueChain(), both.get(1))).isTrue();
        // and no second rotation for the new CA
        assertThat(bundle()).hasSize(2);
    }

    @Test
    void MT_1_rotatingTheCaNeedsTheAdminToken() throws Exception {
        assertThat(h.adminWith(null, "POST", "/admin/v1/wic-ca/rotate", null).statusCode()).isEqualTo(401);
        assertThat(h.adminWith("Bearer wrong", "POST", "/admin/v1/wic-ca/rotate", null).statusCode()).isEqualTo(401);
        assertThat(h.adminWith("Bearer wrong", "GET", "/admin/v1/wic-ca", null).statusCode()).isEqualTo(401);
        assertThat(bundle()).hasSize(1);
        assertThat(h.admin("GET", "/admin/v1/wic-ca/rotate", null).statusCode()).isEqualTo(405);
        assertThat(bundle()).hasSize(1);
    }
}
