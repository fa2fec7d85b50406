package io.wimse4j.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wit.WitProfile;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ALG-2 over HTTPS: {@link HttpJwksTrustBundleSource} fetching SPIFFE bundles from a real HTTPS server
 * on 127.0.0.1 (the test's own CA), as {@link HttpJwksTrustBundleSourceTest} does for plain JWKS: only
 * the {@code wit-svid} keys verify WITs, {@code spiffe_refresh_hint} is the refresh interval (within
 * the bounds, over {@code max-age}), and a lower {@code spiffe_sequence} is refused as a rollback.
 */
class SpiffeBundleSourceTest {
    private static final String PATH = "/bundle";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static TestPki pki;

    private final Fixture fixture = new Fixture();
    private final TrustDomain td = fixture.trustDomain;
    private final MutableClock clock = new MutableClock(Fixture.NOW);
    private final WorkloadKeyPair jwtKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
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
        doc.body = bundle(1L, 60L, fixture.issuerKey);
        doc.cacheControl = "public, max-age=120";
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    /** A SPIFFE bundle: {@code witKeys} as wit-svid entries, plus a jwt-svid and an x509-svid entry; null members left out. */
    private String bundle(Long sequence, Long hint, WorkloadKeyPair... witKeys) {
        ObjectNode b = MAPPER.createObjectNode();
        ArrayNode keys = b.putArray("keys");
        keys.add(entry(WorkloadKeyPair.generate(JwsAlgorithm.ES384), "x509-svid").without("kid"));
        keys.add(entry(jwtKey, "jwt-svid"));
        for (WorkloadKeyPair k : witKeys) {
            keys.add(entry(k, "wit-svid"));
        }
        if (sequence != null) {
            b.put("spiffe_sequence", sequence);
        }
        if (hint != null) {
            b.put("spiffe_refresh_hint", hint);
        }
        return b.toString();
    }

    private static ObjectNode entry(WorkloadKeyPair key, String use) {
        return ((ObjectNode) MAPPER.valueToTree(key.publicJwk().toMap())).put("use", use);
    }

    private HttpJwksTrustBundleSource started() throws Exception {
        HttpJwksTrustBundleSource source = HttpJwksTrustBundleSource.builder().trustDomain(td, server.uri(PATH))
                .sslContext(pki.clientContext()).clock(clock).checkInterval(Duration.ofHours(1))
                .maxStaleness(Duration.ofHours(2)).build();
        closeables.add(source);
        assertThat(source.awaitInitialLoad(Duration.ofSeconds(20))).isTrue();
        return source;
    }

    private String witSignedBy(WorkloadKeyPair issuerKey) throws WimseException {
        return WitIssuer.builder().signer(issuerKey.signer()).trustDomain(td).clock(clock).build()
                .issue(fixture.workload, fixture.workloadKey.publicJwk()).token();
    }

    private WitVerifier verifier(HttpJwksTrustBundleSource source) {
        return WitVerifier.builder().trust(source).clock(clock).build();
    }

    @Test
    void ALG_2_aSpiffeBundleFetchedOverHttpsGivesOnlyItsWitSvidKeys() throws Exception {
        HttpJwksTrustBundleSource source = started();
        TrustBundle b = source.bundleFor(td).orElseThrow();
        assertThat(b.format()).isEqualTo(TrustBundle.Format.SPIFFE_BUNDLE);
        assertThat(b.keys()).extracting(k -> k.keyId().orElseThrow()).containsExactly(fixture.issuerKey.keyId());
        assertThat(b.spiffeSequence()).hasValue(1);
        assertThat(b.spiffeRefreshHint()).contains(Duration.ofSeconds(60));
        assertThat(verifier(source).verify(fixture.wit).subject()).isEqualTo(fixture.workload);
        assertThatThrownBy(() -> verifier(source).verify(witSignedBy(jwtKey))).isInstanceOfSatisfying(WimseException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY);
            assertThat(e.detail()).contains("names a jwt-svid entry");
        });
        // the WIT-SVID profile takes this bundle's keys (its subject is no SPIFFE ID, so that rule refuses it)
        assertRejected(() -> WitVerifier.builder().trust(source).clock(clock).profile(WitProfile.SPIFFE_WIT_SVID).build()
                .verify(fixture.wit), Reason.INVALID_IDENTIFIER);
    }

    /** One row of the refresh table: what the answer says and when the next fetch is due. */
    record Refresh(String name, Long hint, String cacheControl, Duration due) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refresh> refreshes() {
        return Stream.of(
                new Refresh("ALG-2 hint 60 s, max-age 120 s → 60 s (the hint wins over 3/4 of max-age)", 60L, "max-age=120",
                        Duration.ofSeconds(60)),
                new Refresh("ALG-2 hint 600 s, max-age 120 s → 600 s (the hint wins when longer too)", 600L, "max-age=120",
                        Duration.ofSeconds(600)),
                new Refresh("ALG-2 hint 60 s, no Cache-Control → 60 s", 60L, null, Duration.ofSeconds(60)),
                new Refresh("ALG-2 hint 5 s → 30 s (the minimum)", 5L, "max-age=120", Duration.ofSeconds(30)),
                new Refresh("ALG-2 hint 0 s → 30 s (the minimum)", 0L, null, Duration.ofSeconds(30)),
                new Refresh("ALG-2 hint one day → 1 h (the maximum)", 86_400L, "max-age=120", Duration.ofHours(1)),
                new Refresh("ALG-2 no hint, max-age 120 s → 90 s (3/4 of max-age, as for a JWKS)", null, "max-age=120",
                        Duration.ofSeconds(90)),
                new Refresh("ALG-2 no hint, no Cache-Control → 5 min (the default)", null, null, Duration.ofMinutes(5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refreshes")
    void ALG_2_theRefreshHintIsTheRefreshIntervalWithinTheBounds(Refresh row) throws Exception {
        doc.body = bundle(1L, row.hint(), fixture.issuerKey);
        doc.cacheControl = row.cacheControl();
        HttpJwksTrustBundleSource source = started();
        clock.advance(row.due().minusSeconds(1));
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).as("not due 1 s early").isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).as("due").isEqualTo(2);
        // a second round: the same schedule again
        clock.advance(row.due());
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).isEqualTo(3);
    }

    @Test
    void ALG_2_aNotModifiedAnswerKeepsTheRefreshHint() throws Exception {
        doc.etag = "\"s1\"";
        HttpJwksTrustBundleSource source = started();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(60));
            source.refreshDueAndWait();
        }
        assertThat(doc.notModified.get()).isEqualTo(3);
        assertThat(source.bundleFor(td).orElseThrow().spiffeRefreshHint()).contains(Duration.ofSeconds(60));
    }

    @Test
    void ALG_2_aBundleWithALowerSequenceIsRefusedAndTheLastGoodOneIsKept() throws Exception {
        doc.body = bundle(5L, 60L, fixture.issuerKey);
        HttpJwksTrustBundleSource source = started();
        TrustBundle good = source.bundleFor(td).orElseThrow();
        WitVerifier verifier = verifier(source);

        // an older bundle with another key comes back: refused, the sequence-5 bundle stays
        WorkloadKeyPair rolledBack = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        doc.body = bundle(4L, 60L, rolledBack);
        clock.advance(Duration.ofSeconds(60));
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).isEqualTo(2);
        assertThat(source.bundleFor(td)).get().isSameAs(good);

        // a refusal is retried after the minimum interval (30 s), like any failed fetch
        clock.advance(Duration.ofSeconds(29));
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(1));
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).isEqualTo(3);
        assertThat(source.bundleFor(td)).get().isSameAs(good);

        // the rolled-back key verifies nothing; the early refetch its unknown kid causes is refused too
        assertRejected(() -> verifier.verify(witSignedBy(rolledBack)), Reason.UNKNOWN_KEY);
        source.awaitIdle();
        assertThat(doc.hits.get()).isEqualTo(4);
        assertThat(source.bundleFor(td)).get().isSameAs(good);
        assertThat(verifier.verify(fixture.wit).subject()).isEqualTo(fixture.workload);

        // an equal sequence is accepted; then a document without a sequence, or a plain JWKS (every key a
        // WIT key, the JWT-SVID key included), is refused as a possible rollback or downgrade
        WorkloadKeyPair next = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        doc.body = bundle(5L, 60L, fixture.issuerKey, next);
        clock.advance(Duration.ofSeconds(30));
        source.refreshDueAndWait();
        TrustBundle five = source.bundleFor(td).orElseThrow();
        assertThat(five.keys()).hasSize(2);
        doc.body = bundle(null, 60L, next, rolledBack);
        clock.advance(Duration.ofSeconds(60));
        source.refreshDueAndWait();
        assertThat(source.bundleFor(td)).get().as("no sequence after a sequenced bundle: refused").isSameAs(five);
        assertRejected(() -> verifier.verify(witSignedBy(rolledBack)), Reason.UNKNOWN_KEY);
        source.awaitIdle();
        doc.body = "{\"keys\":[" + jwtKey.publicJwk().toJson() + "," + next.publicJwk().toJson() + "]}";
        clock.advance(Duration.ofSeconds(60));
        source.refreshDueAndWait();
        assertThat(source.bundleFor(td)).get().as("a plain JWKS after a SPIFFE bundle: refused").isSameAs(five);
        assertRejected(() -> verifier.verify(witSignedBy(jwtKey)), Reason.UNKNOWN_KEY);
        source.awaitIdle();
        doc.body = bundle(3L, 60L, rolledBack);
        clock.advance(Duration.ofSeconds(60));
        source.refreshDueAndWait();
        assertThat(source.bundleFor(td)).get().isSameAs(five);
        assertRejected(() -> verifier.verify(witSignedBy(rolledBack)), Reason.UNKNOWN_KEY);
        source.awaitIdle();

        // a higher sequence is accepted
        doc.body = bundle(6L, 60L, rolledBack);
        clock.advance(Duration.ofSeconds(30));
        source.refreshDueAndWait();
        assertThat(source.bundleFor(td).orElseThrow().spiffeSequence()).hasValue(6);
        assertThat(verifier.verify(witSignedBy(rolledBack)).subject()).isEqualTo(fixture.workload);
    }

    @Test
    void ALG_2_onlyRollbacksServedLeaveTheLastGoodBundleUntilItIsTooStale() throws Exception {
        doc.body = bundle(9L, 60L, fixture.issuerKey);
        HttpJwksTrustBundleSource source = started();
        doc.body = bundle(8L, 60L, fixture.issuerKey);
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(30));
            source.refreshDueAndWait();
        }
        assertThat(doc.hits.get()).isEqualTo(5);
        assertThat(source.bundleFor(td)).as("2 h after the last good fetch: too stale").isEmpty();
        assertRejected(() -> verifier(source).verify(witSignedBy(fixture.issuerKey)), Reason.UNTRUSTED_TRUST_DOMAIN);
    }

    @Test
    void ALG_2_aSpiffeBundleWithoutWitKeysRevokesTheTrustDomainsKeys() throws Exception {
        HttpJwksTrustBundleSource source = started();
        assertThat(verifier(source).verify(fixture.wit).subject()).isEqualTo(fixture.workload);
        doc.body = "{\"keys\":[],\"spiffe_sequence\":2,\"spiffe_refresh_hint\":60}";
        clock.advance(Duration.ofSeconds(60));
        source.refreshDueAndWait();
        assertThat(source.bundleFor(td).orElseThrow().keys()).isEmpty();
        assertThatThrownBy(() -> verifier(source).verify(fixture.wit)).isInstanceOfSatisfying(WimseException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY);
            assertThat(e.detail()).contains("holds no wit-svid entry");
        });
    }

    @Test
    void ALG_2_aMalformedSpiffeBundleIsAFailedFetch() throws Exception {
        HttpJwksTrustBundleSource source = started();
        TrustBundle good = source.bundleFor(td).orElseThrow();
        doc.body = bundle(2L, 60L, fixture.issuerKey).replace("\"spiffe_sequence\":2", "\"spiffe_sequence\":\"2\"");
        clock.advance(Duration.ofSeconds(60));
        source.refreshDueAndWait();
        assertThat(doc.hits.get()).isEqualTo(2);
        assertThat(source.bundleFor(td)).get().isSameAs(good);
    }
}
