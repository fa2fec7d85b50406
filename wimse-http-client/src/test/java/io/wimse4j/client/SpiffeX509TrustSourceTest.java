package io.wimse4j.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.testkit.MutableClock;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.X509TrustBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SpiffeX509TrustSource}: the {@code x509-svid} anchors of SPIFFE bundles (ALG-2, SPIFFE bundle
 * 4.2.1): the go-spiffe vector, the refusals, and the real Identity Server's bundle following a
 * workload CA rotation.
 */
class SpiffeX509TrustSourceTest {
    static final TrustDomain TD = new TrustDomain("example.org");
    static final HeldCertificate CA = HeldCertificate.builder().commonName("example.org CA").certificateAuthority(0).build();
    static final HeldCertificate LEAF = HeldCertificate.builder().uri("wimse://example.org/svc").signedBy(CA).build();

    @TempDir
    Path dir;

    static String b64(X509Certificate c) throws Exception {
        return Base64.getEncoder().encodeToString(c.getEncoded());
    }

    @Test
    void ALG_2_theX509SvidEntryOfTheGoSpiffeVectorIsTheOnlyAnchor() throws Exception {
        // the copy wimse-core keeps of ../shared/vectors/spiffe (compared with shared/ there)
        String json = Files.readString(Path.of("../wimse-core/src/test/resources/spiffe/spiffebundle_valid_with_wit.json"));
        X509TrustBundle anchors = SpiffeX509TrustSource.anchorsOf(new TrustDomain("domain.test"), json).orElseThrow();
        String x5c = StrictJson.parseObject(json, "vector").get("keys").get(0).get("x5c").get(0).textValue();
        assertThat(anchors.anchors()).hasSize(1);
        assertThat(b64(anchors.anchors().get(0))).isEqualTo(x5c);
    }

    @Test
    void ALG_2_aBundleWithoutX509SvidEntriesGivesNoAnchors() throws Exception {
        assertThat(SpiffeX509TrustSource.anchorsOf(TD, "{\"keys\":[{\"use\":\"jwt-svid\",\"kty\":\"EC\"}]}")).isEmpty();
    }

    record Bad(String name, Consumer<ObjectNode> entry) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> badEntries() {
        return Stream.of(
                new Bad("4.2.1 x5c missing", e -> e.remove("x5c")),
                new Bad("4.2.1 x5c with two certificates", e -> {
                    try {
                        e.putArray("x5c").add(b64(CA.certificate())).add(b64(CA.certificate()));
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }),
                new Bad("4.2.1 x5c not base64 DER", e -> e.putArray("x5c").add("not base64!")),
                new Bad("MT-1 an anchor that is no CA", e -> {
                    try {
                        e.putArray("x5c").add(b64(LEAF.certificate()));
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEntries")
    void ALG_2_aMalformedX509SvidEntryRefusesTheBundle(Bad bad) throws Exception {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        ObjectNode entry = root.putArray("keys").addObject().put("use", "x509-svid").put("kty", "EC");
        entry.putArray("x5c").add(b64(CA.certificate()));
        assertThat(SpiffeX509TrustSource.anchorsOf(TD, root.toString()).orElseThrow().anchors()).containsExactly(CA.certificate());
        bad.entry().accept(entry);
        assertRejected(() -> SpiffeX509TrustSource.anchorsOf(TD, root.toString()), Reason.INVALID_KEY);
    }

    @Test
    void MT_1_theIdentityServersBundleGivesItsWorkloadCaAndFollowsARotation() throws Exception {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (ServerHarness server = new ServerHarness(dir.resolve("state"), clock, null);
             HttpJwksTrustBundleSource bundles = HttpJwksTrustBundleSource.builder()
                     .trustDomain(new TrustDomain(ServerHarness.TRUST_DOMAIN), server.baseUri().resolve("/v1/trust-bundle/spiffe"))
                     .sslContext(server.clientTls()).clock(clock).checkInterval(Duration.ofHours(1)).build()) {
            SpiffeX509TrustSource x509 = SpiffeX509TrustSource.of(bundles);
            TrustDomain td = new TrustDomain(ServerHarness.TRUST_DOMAIN);
            List<X509Certificate> published = Pem.certificates(server.workloadCaPem());
            assertThat(x509.bundleFor(td).orElseThrow().anchors()).isEqualTo(published).hasSize(1);
            assertThat(x509.bundleFor(td)).as("parsed once per document").isSameAs(x509.bundleFor(td));
            assertThat(bundles.bundleFor(td)).as("the same document still gives the WIT keys").isPresent();
            assertThat(x509.bundleFor(new TrustDomain("other.org"))).isEmpty();

            server.rotateWorkloadCa();
            clock.advance(Duration.ofMinutes(10));
            bundles.refreshDueAndWait();
            assertThat(x509.bundleFor(td).orElseThrow().anchors()).as("the new CA, published before it signs")
                    .isEqualTo(Pem.certificates(server.workloadCaPem())).hasSize(2).contains(published.get(0));
        }
    }
}
