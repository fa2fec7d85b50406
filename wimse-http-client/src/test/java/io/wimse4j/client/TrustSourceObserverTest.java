package io.wimse4j.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.MutableClock;
import io.wimse4j.testkit.RecordingObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link HttpJwksTrustBundleSource} and {@link SpiffeX509TrustSource} tell their observer (issue 13): every
 * fetch of a trust domain's bundle, refreshed or failed, against a real HTTPS server on 127.0.0.1 (as
 * {@link HttpJwksTrustBundleSourceTest}); time is a {@link MutableClock}, rounds run on the source's own thread.
 */
class TrustSourceObserverTest {
    private static final String PATH = "/.well-known/jwks.json";
    private static TestPki pki;

    private final Fixture fixture = new Fixture();
    private final TrustDomain td = fixture.trustDomain;
    private final MutableClock clock = new MutableClock(Fixture.NOW);
    private final RecordingObserver observer = new RecordingObserver();
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
        doc.body = HttpJwksTrustBundleSourceTest.jwks(fixture.issuerKey);
        doc.cacheControl = "public, max-age=120";
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private HttpJwksTrustBundleSource started() throws Exception {
        HttpJwksTrustBundleSource source = HttpJwksTrustBundleSource.builder().trustDomain(td, server.uri(PATH))
                .sslContext(pki.clientContext()).clock(clock).checkInterval(Duration.ofHours(1)).observer(observer).build();
        closeables.add(source);
        assertThat(source.awaitInitialLoad(Duration.ofSeconds(20))).isTrue();
        return source;
    }

    /** {@code key}'s public JWK as a SPIFFE bundle entry of {@code use}. */
    private static String entry(WorkloadKeyPair key, String use) throws Exception {
        Map<String, Object> jwk = new LinkedHashMap<>(key.publicJwk().toMap());
        jwk.put("use", use);
        return new ObjectMapper().writeValueAsString(jwk);
    }

    @Test
    void ID_3_everyFetchIsReportedAsARefreshOrAFailureOfItsTrustDomain() throws Exception {
        HttpJwksTrustBundleSource source = started();
        assertThat(observer.events()).containsExactly("refreshed example.org at " + Fixture.NOW);

        doc.status = 503; // due after 3/4 of max-age 120 s
        clock.advance(Duration.ofSeconds(90));
        source.refreshDueAndWait();
        doc.status = 200; // retried after the minimum refresh interval, 30 s
        clock.advance(Duration.ofSeconds(30));
        source.refreshDueAndWait();
        doc.body = "{\"keys\": not json";
        clock.advance(Duration.ofSeconds(90));
        source.refreshDueAndWait();

        assertThat(observer.events()).containsExactly(
                "refreshed example.org at " + Fixture.NOW,
                "refresh failed example.org: IOException",
                "refreshed example.org at " + Fixture.NOW.plusSeconds(120),
                "refresh failed example.org: WimseException");
        assertThat(source.bundleFor(td)).as("the last good bundle is kept").isPresent();
    }

    @Test
    void ALG_2_aRollbackIsAFailedRefreshAndUnusableX509AnchorsAreReportedOncePerDocument() throws Exception {
        String witKey = entry(fixture.issuerKey, "wit-svid");
        doc.body = "{\"keys\":[" + witKey + "],\"spiffe_sequence\":2}";
        HttpJwksTrustBundleSource source = started();
        SpiffeX509TrustSource x509 = SpiffeX509TrustSource.of(source);

        doc.body = "{\"keys\":[" + witKey + "],\"spiffe_sequence\":1}";
        clock.advance(Duration.ofSeconds(90));
        source.refreshDueAndWait();
        assertThat(x509.bundleFor(td)).as("no x509-svid entry: no anchors, and nothing wrong").isEmpty();

        // an x509-svid entry without x5c (SPIFFE bundle 4.2.1): the WIT keys load, the X.509 anchors do not
        doc.body = "{\"keys\":[" + witKey + "," + entry(WorkloadKeyPair.generate(JwsAlgorithm.ES256), "x509-svid")
                + "],\"spiffe_sequence\":3}";
        clock.advance(Duration.ofSeconds(30));
        source.refreshDueAndWait();
        assertThat(x509.bundleFor(td)).isEmpty();
        assertThat(x509.bundleFor(td)).isEmpty();

        assertThat(observer.events()).containsExactly(
                "refreshed example.org at " + Fixture.NOW,
                "refresh failed example.org: IOException",
                "refreshed example.org at " + Fixture.NOW.plusSeconds(120),
                "refresh failed example.org: WimseException");
    }
}
