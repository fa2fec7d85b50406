package io.wimse4j.client;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.testkit.MutableClock;
import io.wimse4j.x509.VerifiedWic;
import io.wimse4j.x509.WicValidator;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link IdentityServerWicSource} against the real Identity Server over HTTPS: a first WIC by join
 * token, renewals with the current WIC over mutual TLS (method {@code wic}) at 2/3 of the lifetime,
 * each with a fresh key, and what happens when renewal is not possible. Server and client share one
 * {@link MutableClock}; each scheduling round is run explicitly.
 */
class IdentityServerWicSourceTest {
    static final String ID = "wimse://example.org/svc/orders";
    static final TrustDomain TD = new TrustDomain(ServerHarness.TRUST_DOMAIN);
    /** The server's default WIC lifetime. */
    static final long TTL = 3600;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private ServerHarness server;

    @BeforeEach
    void startServer() throws Exception {
        server = new ServerHarness(dir.resolve("state"), clock, null);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private IdentityServerWicSource.Builder source(InitialAttestation attestation) throws Exception {
        return IdentityServerWicSource.builder(server.baseUri(), WorkloadIdentifier.parse(ID), attestation)
                .serverCaPem(server.caCertFile()).clock(clock).checkInterval(Duration.ofHours(1))
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(4));
    }

    private VerifiedWic validate(List<X509Certificate> chain) throws WimseException {
        X509TrustSource trust = X509TrustSource.of(X509TrustBundle.fromPem(TD, server.workloadCaPem()));
        return WicValidator.builder().trust(trust).clock(clock).forClients().build().validate(chain);
    }

    @Test
    void MT_7_firstWicByJoinTokenThenRenewalOverMutualTlsAtTwoThirdsWithAFreshKey() throws Exception {
        server.register(ID, 600, null, "join_token", "wic");
        InitialAttestation join = InitialAttestation.joinToken(server.joinToken(ID));
        try (IdentityServerWicSource source = source(join).build()) {
            List<X509Certificate> first = source.currentChain();
            assertThat(validate(first).identifier().value()).isEqualTo(ID);
            assertThat(first.get(0).getNotAfter().toInstant()).isEqualTo(clock.instant().plusSeconds(TTL));
            assertThat(source.keyManager().currentLeaf()).isEqualTo(first.get(0));
            assertThat(join.usable()).as("the join token is used up").isFalse();

            clock.advance(Duration.ofSeconds(TTL * 2 / 3 - 10));
            source.runDueAndWait();
            assertThat(source.currentChain()).as("not renewed before 2/3 of the lifetime").isEqualTo(first);

            clock.advance(Duration.ofSeconds(11));
            source.runDueAndWait();
            List<X509Certificate> renewed = source.currentChain();
            assertThat(renewed.get(0).getSerialNumber()).isNotEqualTo(first.get(0).getSerialNumber());
            assertThat(renewed.get(0).getPublicKey()).as("KEY-4: a fresh key").isNotEqualTo(first.get(0).getPublicKey());
            assertThat(validate(renewed).identifier().value()).isEqualTo(ID);
            assertThat(source.keyManager().currentLeaf()).isEqualTo(renewed.get(0));
            assertThat(source.nextRenewal()).isAfter(clock.instant());
        }
    }

    @Test
    void KEY_3_aWicThatCannotBeRenewedIsServedUntilItExpiresAndNeverAfter() throws Exception {
        // the registration does not allow 'wic', and the join token is used up: no renewal is possible
        server.register(ID, 600, null, "join_token");
        try (IdentityServerWicSource source = source(InitialAttestation.joinToken(server.joinToken(ID))).build()) {
            List<X509Certificate> first = source.currentChain();
            clock.advance(Duration.ofSeconds(TTL * 2 / 3 + 1));
            source.runDueAndWait();
            assertThat(source.currentChain()).as("kept while valid after a refused renewal").isEqualTo(first);
            assertThat(source.keyManager().chooseClientAlias(new String[] {"EC"}, null, null)).isNotNull();

            clock.advance(Duration.ofSeconds(TTL / 3));
            source.runDueAndWait();
            assertRejected(source::currentChain, Reason.CREDENTIALS_EXPIRED);
            assertThat(catchMessage(source)).contains("join_token attestation has already been used").doesNotContain("BEGIN");
            assertThat(source.keyManager().chooseClientAlias(new String[] {"EC"}, null, null))
                    .as("the key manager serves no expired WIC").isNull();
        }
    }

    private static String catchMessage(IdentityServerWicSource source) {
        try {
            source.currentChain();
            return "";
        } catch (WimseException e) {
            return e.getMessage();
        }
    }

    @Test
    void WIC_2_aRefusedFirstAttestationLeavesNoWicWithTheReason() throws Exception {
        server.register(ID, 600, null, "join_token", "wic");
        try (IdentityServerWicSource source = source(InitialAttestation.joinToken("not-a-token")).build()) {
            assertRejected(source::currentChain, Reason.CREDENTIALS_EXPIRED);
            assertThat(catchMessage(source)).contains("join-token-invalid");
            assertThat(source.keyManager().currentLeaf()).isNull();
        }
    }

    @Test
    void SEC_1_theBuilderRefusesPlainHttpAndBadSettings() throws Exception {
        InitialAttestation join = InitialAttestation.joinToken("t");
        WorkloadIdentifier id = WorkloadIdentifier.parse(ID);
        assertThatThrownBy(() -> IdentityServerWicSource.builder(URI.create("http://localhost:1"), id, join).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> IdentityServerWicSource.builder(URI.create("https://localhost:1"), id, join).renewAt(0.99).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("renewAt");
        assertThatThrownBy(() -> IdentityServerWicSource.builder(URI.create("https://localhost:1/x?y"), id, join).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("query");
    }
}
