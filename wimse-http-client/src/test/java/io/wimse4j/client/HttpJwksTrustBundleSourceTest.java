package io.wimse4j.client;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link HttpJwksTrustBundleSource} against a real HTTPS server on 127.0.0.1 with a CA and server
 * certificate made for the test, serving JWKS documents the test controls. Time is a
 * {@link MutableClock}; refresh rounds are run explicitly on the source's own background thread.
 */
class HttpJwksTrustBundleSourceTest {
    private static final String PATH = "/.well-known/jwks.json";
    private static TestPki pki;

    private final Fixture fixture = new Fixture();
    private final TrustDomain td = fixture.trustDomain;
    private final MutableClock clock = new MutableClock(Fixture.NOW);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private JwksServer server;
    private JwksServer.Doc doc;

    @BeforeAll
    static void makePki() throws Exception {
        pki = new TestPki();
    }

    @BeforeEach
    void startServer() throws Exception {
        server = new JwksServer(pki.serverContext());
        closeables.add(server);
        doc = server.doc(PATH);
        doc.body = jwks(fixture.issuerKey);
        doc.cacheControl = "public, max-age=120";
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    static String jwks(WorkloadKeyPair... keys) {
        StringBuilder sb = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < keys.length; i++) {
            sb.append(i == 0 ? "" : ",").append(keys[i].publicJwk().toJson());
        }
        return sb.append("]}").toString();
    }

    /** A builder on the test clock, trusting the test CA, whose background thread only does the first fetch by itself. */
    private HttpJwksTrustBundleSource.Builder builder() throws Exception {
        return HttpJwksTrustBundleSource.builder().trustDomain(td, server.uri(PATH)).sslContext(pki.clientContext())
                .clock(clock).checkInterval(Duration.ofHours(1));
    }

    private HttpJwksTrustBundleSource started(HttpJwksTrustBundleSource.Builder b) throws Exception {
        HttpJwksTrustBundleSource source = b.build();
        closeables.add(source);
        source.awaitInitialLoad(Duration.ofSeconds(20));
        return source;
    }

    private WitVerifier verifier(HttpJwksTrustBundleSource source) {
        return WitVerifier.builder().trust(source).clock(clock).build();
    }

    private String witSignedBy(WorkloadKeyPair issuerKey) throws Exception {
        return WitIssuer.builder().signer(issuerKey.signer()).trustDomain(td).clock(clock).build()
                .issue(fixture.workload, fixture.workloadKey.publicJwk()).token();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not reached in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void loadsTheJwksOverHttpsTrustingTheServersCaAndVerifiesWits() throws Exception {
        HttpJwksTrustBundleSource source = started(builder());
        assertThat(source.bundleFor(td)).get().extracting(b -> b.keys().size()).isEqualTo(1);
        assertThat(verifier(source).verify(fixture.wit).subject()).isEqualTo(fixture.workload);
        assertThat(doc.hits.get()).isEqualTo(1);
    }

    @Test
    void SEC_1_httpJwksUriIsRefusedUnlessExplicitlyAllowed() throws Exception {
        try (JwksServer plain = new JwksServer(null)) {
            plain.doc(PATH).body = jwks(fixture.issuerKey);
            URI http = plain.uri(PATH);
            assertThatThrownBy(() -> HttpJwksTrustBundleSource.builder().trustDomain(td, http).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("https (SEC-1)");
            assertThatThrownBy(() -> HttpJwksTrustBundleSource.builder()
                    .trustDomain(td, URI.create("ftp://127.0.0.1/jwks.json")).allowInsecureHttp(true).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("SEC-1");

            HttpJwksTrustBundleSource allowed = HttpJwksTrustBundleSource.builder().trustDomain(td, http)
                    .allowInsecureHttp(true).clock(clock).build();
            closeables.add(allowed);
            assertThat(allowed.awaitInitialLoad(Duration.ofSeconds(20))).isTrue();
            assertThat(allowed.bundleFor(td)).isPresent();
        }
    }

    @Test
    void SEC_1_aServerCertificateNotIssuedByTheTrustedCaGivesNoBundle() throws Exception {
        TestPki otherCa = new TestPki();
        HttpJwksTrustBundleSource source = started(builder().sslContext(otherCa.clientContext()));
        assertThat(source.bundleFor(td)).isEmpty();
        assertThat(doc.hits.get()).isZero();
        assertRejected(() -> verifier(source).verify(fixture.wit), Reason.UNTRUSTED_TRUST_DOMAIN);
    }

    @Test
    void SEC_1_aServerCertificateForAnotherNameGivesNoBundle() throws Exception {
        TestPki wrongName = new TestPki(false);
        try (JwksServer impostor = new JwksServer(wrongName.serverContext())) {
            impostor.doc(PATH).body = jwks(fixture.issuerKey);
            HttpJwksTrustBundleSource source = started(HttpJwksTrustBundleSource.builder()
                    .trustDomain(td, impostor.uri(PATH)).sslContext(wrongName.clientContext()).clock(clock));
            assertThat(source.bundleFor(td)).isEmpty();
            assertThat(impostor.doc(PATH).hits.get()).isZero();
        }
    }

    @Test
    void refetchesAfterThreeQuartersOfMaxAgeAndPublishesChangedKeys() throws Exception {
        HttpJwksTrustBundleSource source = started(builder());
        TrustBundle first = source.bundleFor(td).orElseThrow();

        clock.advance(Duration.ofSeconds(89));
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).as("max-age=120: not due before 90 s").isEqualTo(1);

        WorkloadKeyPair next = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        doc.body = jwks(fixture.issuerKey, next);
        clock.advance(Duration.ofSeconds(1));
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).isEqualTo(2);
        TrustBundle second = source.bundleFor(td).orElseThrow();
        assertThat(second).isNotSameAs(first);
        assertThat(second.keys()).hasSize(2);
        assertThat(verifier(source).verify(witSignedBy(next)).subject()).isEqualTo(fixture.workload);
    }

    @Test
    void maxAgeIsBoundedByTheMinimumAndMaximumRefreshInterval() throws Exception {
        doc.cacheControl = "max-age=2";
        HttpJwksTrustBundleSource source = started(builder().refreshInterval(Duration.ofSeconds(30), Duration.ofMinutes(10)));
        clock.advance(Duration.ofSeconds(29));
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).as("min interval 30 s").isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        doc.cacheControl = "max-age=86400";
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).as("max interval 10 min").isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).isEqualTo(3);
    }

    @Test
    void keepsTheSameBundleInstanceWhileTheKeysAreUnchanged() throws Exception {
        HttpJwksTrustBundleSource source = started(builder());
        TrustBundle first = source.bundleFor(td).orElseThrow();
        // same keys, different formatting: still the same bundle, so verified WITs stay cached
        doc.body = "{ \"keys\" : [ " + fixture.issuerKey.publicJwk().toJson() + " ] }";
        clock.advance(Duration.ofSeconds(90));
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).isEqualTo(2);
        assertThat(source.bundleFor(td)).get().isSameAs(first);
    }

    @Test
    void aNotModifiedAnswerKeepsTheBundleAndCountsAsFresh() throws Exception {
        doc.etag = "\"v1\"";
        HttpJwksTrustBundleSource source = started(builder().refreshInterval(Duration.ofSeconds(30), Duration.ofMinutes(1))
                .maxStaleness(Duration.ofMinutes(2)));
        TrustBundle first = source.bundleFor(td).orElseThrow();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(1));
            source.refreshDueAndWait();
        }
        assertThat(doc.notModified.get()).isEqualTo(3);
        assertThat(source.bundleFor(td)).as("3 min after the first fetch, but revalidated 0 s ago").get().isSameAs(first);
    }

    @Test
    void ID_3_unknownKidTriggersAnEarlyRefetchThatIsRateLimited() throws Exception {
        HttpJwksTrustBundleSource source = started(builder());
        WitVerifier verifier = verifier(source);
        WorkloadKeyPair rotated = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        doc.body = jwks(fixture.issuerKey, rotated);
        String newWit = witSignedBy(rotated);

        assertRejected(() -> verifier.verify(newWit), Reason.UNKNOWN_KEY);
        source.awaitIdle();
        assertThat(doc.hits.get()).as("early refetch on unknown kid").isEqualTo(2);
        assertThat(verifier.verify(newWit).subject()).isEqualTo(fixture.workload);

        WorkloadKeyPair bogus = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        String bogusWit = witSignedBy(bogus);
        for (int i = 0; i < 5; i++) {
            assertRejected(() -> verifier.verify(bogusWit), Reason.UNKNOWN_KEY);
        }
        source.awaitIdle();
        assertThat(doc.hits.get()).as("at most one early refetch per 30 s").isEqualTo(2);

        clock.advance(Duration.ofSeconds(30));
        assertRejected(() -> verifier.verify(bogusWit), Reason.UNKNOWN_KEY);
        source.awaitIdle();
        assertThat(doc.hits.get()).isEqualTo(3);
    }

    @Test
    void servesTheLastGoodBundleWhileFetchesFailThenFailsClosedAfterMaxStaleness() throws Exception {
        HttpJwksTrustBundleSource source = started(builder().refreshInterval(Duration.ofSeconds(30), Duration.ofMinutes(5))
                .maxStaleness(Duration.ofMinutes(10)));
        TrustBundle good = source.bundleFor(td).orElseThrow();

        doc.status = 503;
        clock.advance(Duration.ofSeconds(90));
        source.refreshDueAndWait();
        doc.status = 200;
        doc.body = "{\"keys\":[" + fixture.workloadKey.privateJwkJson() + "]}"; // a private key: refused
        clock.advance(Duration.ofSeconds(30));
        source.refreshDueAndWait();
        doc.body = "not json";
        clock.advance(Duration.ofSeconds(30));
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).isEqualTo(4);
        assertThat(source.bundleFor(td)).get().isSameAs(good);

        clock.set(Fixture.NOW.plus(Duration.ofMinutes(10)));
        assertThat(source.bundleFor(td)).as("fails closed after max staleness").isEmpty();
        assertRejected(() -> verifier(source).verify(fixture.wit), Reason.UNTRUSTED_TRUST_DOMAIN);

        doc.body = jwks(fixture.issuerKey);
        source.refreshDueAndWait();
        assertThat(source.bundleFor(td)).as("recovers with the next good fetch").isPresent();
    }

    @Test
    void anOversizedBodyIsRefusedWhetherDeclaredOrChunked() throws Exception {
        StringBuilder big = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < 20; i++) {
            big.append(i == 0 ? "" : ",").append(WorkloadKeyPair.generate(JwsAlgorithm.ES256).publicJwk().toJson());
        }
        doc.body = big.append("]}").toString();
        assertThat(doc.body.length()).isGreaterThan(2048);
        HttpJwksTrustBundleSource declared = started(builder().maxBodyBytes(2048));
        assertThat(declared.bundleFor(td)).isEmpty();

        doc.chunked = true;
        HttpJwksTrustBundleSource chunked = started(builder().maxBodyBytes(2048));
        assertThat(chunked.bundleFor(td)).isEmpty();
        assertThat(doc.hits.get()).isEqualTo(2);

        HttpJwksTrustBundleSource large = started(builder().maxBodyBytes(64 * 1024));
        assertThat(large.bundleFor(td)).get().extracting(b -> b.keys().size()).isEqualTo(20);
    }

    @Test
    void SEC_1_aRedirectIsNotFollowed() throws Exception {
        // the configured URI answers with a redirect to a (valid, trusted) JWKS elsewhere
        JwksServer.Doc redirect = server.doc("/moved/jwks.json");
        redirect.status = 302;
        redirect.location = server.uri(PATH).toString();
        redirect.body = "";
        HttpJwksTrustBundleSource source = started(HttpJwksTrustBundleSource.builder()
                .trustDomain(td, server.uri("/moved/jwks.json")).sslContext(pki.clientContext())
                .clock(clock).checkInterval(Duration.ofHours(1)));
        assertThat(source.bundleFor(td)).isEmpty();
        assertThat(redirect.hits.get()).isEqualTo(1);
        assertThat(doc.hits.get()).isZero();
    }

    @Test
    void SEC_1_aGivenHttpClientThatFollowsRedirectsIsRefused() throws Exception {
        JwksServer.Doc redirect = server.doc("/moved/jwks.json");
        redirect.status = 302;
        redirect.location = server.uri(PATH).toString();
        redirect.body = "";
        java.net.http.HttpClient following = java.net.http.HttpClient.newBuilder().sslContext(pki.clientContext())
                .followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build();
        HttpJwksTrustBundleSource.Builder b = HttpJwksTrustBundleSource.builder()
                .trustDomain(td, server.uri("/moved/jwks.json")).httpClient(following)
                .clock(clock).checkInterval(Duration.ofHours(1));
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("redirect");
        assertThat(doc.hits.get()).isZero();
    }

    @Test
    void servesSeveralTrustDomainsEachFromItsOwnUri() throws Exception {
        TrustDomain other = new TrustDomain("other.example");
        WorkloadKeyPair otherKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        server.doc("/other/jwks.json").body = jwks(otherKey);
        HttpJwksTrustBundleSource source = started(builder().trustDomain(other, server.uri("/other/jwks.json")));
        assertThat(source.trustDomains()).containsExactlyInAnyOrder(td, other);
        assertThat(source.bundleFor(td).orElseThrow().keys().get(0).keyId()).contains(fixture.issuerKey.keyId());
        assertThat(source.bundleFor(other).orElseThrow().keys().get(0).keyId()).contains(otherKey.keyId());
        assertThat(source.bundleFor(new TrustDomain("unknown.example"))).isEmpty();
    }

    @Test
    void theBackgroundThreadRefreshesWithoutAnyCaller() throws Exception {
        HttpJwksTrustBundleSource source = started(builder().checkInterval(Duration.ofMillis(20)));
        assertThat(doc.hits.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(90));
        await(() -> doc.hits.get() >= 2);
        source.close();
    }

    @Test
    void theBuilderRejectsContradictorySettings() {
        URI uri = URI.create("https://127.0.0.1/jwks.json");
        assertThatThrownBy(() -> HttpJwksTrustBundleSource.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("trustDomain");
        assertThatThrownBy(() -> HttpJwksTrustBundleSource.builder().trustDomain(td, uri).trustDomain(td, uri))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> HttpJwksTrustBundleSource.builder().trustDomain(td, uri)
                .refreshInterval(Duration.ofMinutes(2), Duration.ofMinutes(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("min <= max");
        assertThatThrownBy(() -> HttpJwksTrustBundleSource.builder().trustDomain(td, uri)
                .maxStaleness(Duration.ofMinutes(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxStaleness");
        assertThatThrownBy(() -> HttpJwksTrustBundleSource.builder().trustDomain(td, uri).maxBodyBytes(10).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxBodyBytes");
    }
}
