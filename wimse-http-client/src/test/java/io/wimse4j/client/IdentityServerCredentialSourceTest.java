package io.wimse4j.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.CompactJws;
import io.wimse4j.core.internal.JwkKeys;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitInfo;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.server.attest.ServiceAccountIdentity;
import io.wimse4j.server.http.Problem;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link IdentityServerCredentialSource} against the real Identity Server ({@code wimse-server})
 * over HTTPS, trusting the server's own CA. Server and client share one {@link MutableClock}, so
 * renewal and expiry are reached by moving time, and each scheduling round is run explicitly on the
 * source's background thread.
 */
class IdentityServerCredentialSourceTest {
    private static final String ID = "wimse://example.org/svc/orders";
    private static final long TTL = 3600;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final WorkloadKeyPair clusterKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    private final List<String> kubernetesTokensSeen = new CopyOnWriteArrayList<>();
    private ServerHarness server;

    @BeforeEach
    void startServer() throws Exception {
        server = new ServerHarness(dir.resolve("state"), clock, this::verifyServiceAccountToken);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    /** The cluster side of the kubernetes method: a signed token naming system:serviceaccount:ns:sa. */
    private ServiceAccountIdentity verifyServiceAccountToken(String jwt) throws WimseException {
        CompactJws jws = CompactJws.parse(jwt, CompactJws.DEFAULT_MAX_TOKEN_LENGTH);
        if (!jws.verifyWith(clusterKey.publicJwk().verifier(JwsAlgorithm.ES256))) {
            throw new WimseException(Reason.BAD_SIGNATURE, "service-account token signature");
        }
        kubernetesTokensSeen.add(jwt);
        String[] sub = jws.payload().get("sub").textValue().split(":");
        return new ServiceAccountIdentity(sub[2], sub[3]);
    }

    private String serviceAccountToken() {
        ObjectNode claims = StrictJson.mapper().createObjectNode().put("sub", "system:serviceaccount:shop:orders")
                .put("iss", "https://kubernetes.default.svc").put("jti", JwsWriter.randomJwtId());
        return JwsWriter.sign(clusterKey.signer(), "JWT", claims);
    }

    private IdentityServerCredentialSource.Builder source(InitialAttestation attestation) throws Exception {
        return IdentityServerCredentialSource.builder(server.baseUri(), attestation).sslContext(server.clientTls())
                .clock(clock).checkInterval(Duration.ofHours(1)).backoff(Duration.ofSeconds(1), Duration.ofSeconds(4));
    }

    private static String cnfThumbprint(WorkloadCredentials c) throws Exception {
        return WitInfo.decodeUnverified(c.wit()).confirmationKey().thumbprint();
    }

    @Test
    void KEY_4_firstIssuanceWithAJoinTokenThenRenewalWithAFreshKey() throws Exception {
        server.register(ID, TTL, null, "join_token", "wit");
        InitialAttestation join = InitialAttestation.joinToken(server.joinToken(ID));
        try (IdentityServerCredentialSource source = source(join).build();
             HttpJwksTrustBundleSource jwks = HttpJwksTrustBundleSource.builder()
                     .trustDomain(new TrustDomain(ServerHarness.TRUST_DOMAIN), server.jwksUri())
                     .sslContext(server.clientTls()).clock(clock).build()) {
            WorkloadCredentials first = source.current();
            assertThat(first.subject()).isEqualTo(WorkloadIdentifier.parse(ID));
            assertThat(first.expiresAt()).isEqualTo(clock.instant().plusSeconds(TTL));
            assertThat(join.usable()).as("the join token is used up").isFalse();
            WitVerifier verifier = WitVerifier.builder().trust(jwks).clock(clock).build();
            assertThat(verifier.verify(first.wit()).subject()).isEqualTo(first.subject());
            assertThat(WitInfo.decodeUnverified(first.wit()).proofAlgorithm()).isEqualTo(JwsAlgorithm.EdDSA);

            clock.advance(Duration.ofSeconds(TTL * 2 / 3 - 10));
            source.runDueAndWait();
            assertThat(source.current()).as("not renewed before 2/3 of the lifetime").isSameAs(first);

            clock.advance(Duration.ofSeconds(11));
            source.runDueAndWait();
            WorkloadCredentials renewed = source.current();
            assertThat(renewed.wit()).isNotEqualTo(first.wit());
            assertThat(renewed.subject()).isEqualTo(first.subject());
            assertThat(cnfThumbprint(renewed)).as("a fresh key per WIT (KEY-4)").isNotEqualTo(cnfThumbprint(first));
            assertThat(renewed.expiresAt()).isEqualTo(clock.instant().plusSeconds(TTL));
            assertThat(verifier.verify(renewed.wit()).subject()).isEqualTo(first.subject());
        }
    }

    @Test
    void KEY_1_theKeyExportSeesEachWitWithItsOwnKeyAndItsFailureDoesNotFailTheIssuance() throws Exception {
        server.register(ID, TTL, null, "join_token", "wit");
        java.util.List<String> exported = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (IdentityServerCredentialSource source = source(InitialAttestation.joinToken(server.joinToken(ID)))
                .keyExport((credentials, key) -> {
                    try {
                        exported.add(credentials.wit());
                        assertThat(key.publicJwk().thumbprint()).isEqualTo(cnfThumbprint(credentials));
                        assertThat(WorkloadCredentials.of(credentials.wit(),
                                io.wimse4j.core.key.WorkloadKeyPair.fromPrivateJwk(key.privateJwkJson(), null).signer()).subject())
                                .isEqualTo(credentials.subject());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    throw new IllegalStateException("the export failed");
                }).build()) {
            WorkloadCredentials first = source.current();
            assertThat(exported).containsExactly(first.wit());
            clock.advance(Duration.ofSeconds(TTL * 2 / 3 + 1));
            source.runDueAndWait();
            WorkloadCredentials renewed = source.current();
            assertThat(renewed.wit()).as("renewed despite the failing export").isNotEqualTo(first.wit());
            assertThat(exported).containsExactly(first.wit(), renewed.wit());
        }
    }

    @Test
    void theKeyAlgorithmIsConfigurable() throws Exception {
        server.register(ID, TTL, null, "join_token");
        try (IdentityServerCredentialSource source = source(InitialAttestation.joinToken(server.joinToken(ID)))
                .algorithm(JwsAlgorithm.ES256).build()) {
            assertThat(WitInfo.decodeUnverified(source.current().wit()).proofAlgorithm()).isEqualTo(JwsAlgorithm.ES256);
            assertThat(source.current().signer().algorithm()).isEqualTo(JwsAlgorithm.ES256);
        }
    }

    @Test
    void ALG_1_credentialsUnderTheEd25519NameAreIssuedAndRenewedUnderThatName() throws Exception {
        server.register(ID, TTL, null, "join_token", "wit");
        try (IdentityServerCredentialSource source = source(InitialAttestation.joinToken(server.joinToken(ID)))
                .algorithm(JwsAlgorithm.Ed25519).build()) {
            WorkloadCredentials first = source.current();
            assertThat(WitInfo.decodeUnverified(first.wit()).proofAlgorithm()).isEqualTo(JwsAlgorithm.Ed25519);
            assertThat(first.signer().algorithm()).isEqualTo(JwsAlgorithm.Ed25519);
            clock.advance(Duration.ofSeconds(TTL * 2 / 3 + 1));
            source.runDueAndWait(); // the renewal: an Ed25519 WIT and an Ed25519 WPT, for a fresh Ed25519 key
            WorkloadCredentials renewed = source.current();
            assertThat(renewed.wit()).isNotEqualTo(first.wit());
            assertThat(WitInfo.decodeUnverified(renewed.wit()).proofAlgorithm()).isEqualTo(JwsAlgorithm.Ed25519);
        }
    }

    @Test
    void ridesOutAServerRestartKeepingTheCurrentCredentialsThenRenewsWithBackoff() throws Exception {
        server.register(ID, TTL, null, "join_token", "wit");
        try (IdentityServerCredentialSource source = source(InitialAttestation.joinToken(server.joinToken(ID))).build()) {
            WorkloadCredentials first = source.current();
            server.stop();
            clock.advance(Duration.ofSeconds(TTL * 2 / 3 + 1));
            source.runDueAndWait();
            assertThat(source.current()).as("still valid: kept while the server is down").isSameAs(first);
            // "equal jitter" exponential backoff from 1 s, capped at 4 s: each failure waits in [base/2, base]
            long[][] bounds = {{500, 1_000}, {1_000, 2_000}, {2_000, 4_000}, {2_000, 4_000}};
            for (int failure = 0; failure < bounds.length; failure++) {
                if (failure > 0) {
                    source.runDueAndWait(); // not due yet: no attempt, the retry time stays
                    clock.set(source.nextRenewal());
                    source.runDueAndWait();
                }
                long delay = Duration.between(clock.instant(), source.nextRenewal()).toMillis();
                assertThat(delay).as("retry delay after failure %d", failure + 1)
                        .isBetween(bounds[failure][0], bounds[failure][1]);
                assertThat(source.current()).as("still valid: kept while the server is down").isSameAs(first);
            }

            server.restart();
            clock.advance(Duration.ofSeconds(4));
            source.runDueAndWait();
            WorkloadCredentials renewed = source.current();
            assertThat(renewed.wit()).isNotEqualTo(first.wit());
            assertThat(cnfThumbprint(renewed)).isNotEqualTo(cnfThumbprint(first));
            assertThat(source.nextRenewal()).isAfter(clock.instant().plusSeconds(TTL / 2));
        }
    }

    @Test
    void KEY_3_expiredCredentialsAreNeverReturned() throws Exception {
        server.register(ID, TTL, null, "join_token", "wit");
        try (IdentityServerCredentialSource source = source(InitialAttestation.joinToken(server.joinToken(ID))).build()) {
            WorkloadCredentials first = source.current();
            server.stop();
            clock.set(first.expiresAt().minusSeconds(1));
            assertThat(source.current()).isSameAs(first);
            clock.set(first.expiresAt());
            assertRejected(source::current, Reason.CREDENTIALS_EXPIRED);

            server.restart();
            source.runDueAndWait();
            WimseException e = catchThrowableOfType(source::current, WimseException.class);
            assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS_EXPIRED);
            assertThat(e.detail()).contains("expired at " + first.expiresAt()).contains("join_token attestation has already been used");
        }
    }

    @Test
    void problemAnswersAreSurfacedWithCodeAndTitleWithoutTheToken() throws Exception {
        server.register(ID, TTL, null, "join_token");
        String token = server.joinToken(ID);
        try (IdentityServerCredentialSource first = source(InitialAttestation.joinToken(token)).build()) {
            assertThat(first.current().subject()).isEqualTo(WorkloadIdentifier.parse(ID));
        }
        InitialAttestation reused = InitialAttestation.joinToken(token);
        try (IdentityServerCredentialSource second = source(reused).build()) {
            WimseException e = catchThrowableOfType(second::current, WimseException.class);
            assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS_EXPIRED);
            IdentityServerException cause = (IdentityServerException) e.getCause();
            assertThat(cause.status()).isEqualTo(400);
            assertThat(cause.code()).contains(IdentityServerException.JOIN_TOKEN_INVALID)
                    .contains(Problem.Code.JOIN_TOKEN_INVALID.code());
            assertThat(cause.title()).get().asString().isNotBlank();
            assertThat(e.detail()).contains("join-token-invalid").doesNotContain(token);
            assertThat(reused.usable()).as("an invalid join token is never presented again").isFalse();
        }
    }

    @Test
    void renewalRefusedFallsBackToAKubernetesTokenReReadFromItsFile() throws Exception {
        server.register(ID, TTL, "shop/orders", "kubernetes");
        Path tokenFile = dir.resolve("sa-token");
        Files.writeString(tokenFile, serviceAccountToken());
        try (IdentityServerCredentialSource source = source(InitialAttestation.kubernetesTokenFile(tokenFile)).build()) {
            WorkloadCredentials first = source.current();
            assertThat(first.subject()).isEqualTo(WorkloadIdentifier.parse(ID));
            assertThat(kubernetesTokensSeen).containsExactly(Files.readString(tokenFile));

            String rotated = serviceAccountToken();
            Files.writeString(tokenFile, rotated);
            clock.advance(Duration.ofSeconds(TTL * 2 / 3 + 1));
            source.runDueAndWait();
            WorkloadCredentials renewed = source.current();
            assertThat(renewed.wit()).isNotEqualTo(first.wit());
            assertThat(cnfThumbprint(renewed)).isNotEqualTo(cnfThumbprint(first));
            assertThat(kubernetesTokensSeen).as("'wit' renewal is not allowed here: the rotated token was presented")
                    .hasSize(2).last().isEqualTo(rotated);

            server.stop();
            clock.set(renewed.expiresAt().plusSeconds(1));
            server.restart();
            source.runDueAndWait();
            assertThat(source.current().expiresAt()).as("re-attested after expiry with the kubernetes token")
                    .isAfter(clock.instant());
            assertThat(kubernetesTokensSeen).hasSize(3);
        }
    }

    @Test
    void theBaseUriIsTheAudienceOfProofsAndRenewals() throws Exception {
        server.register(ID, TTL, null, "join_token", "wit");
        URI wrongBase = URI.create(server.baseUri().toString().replace("localhost", "127.0.0.1"));
        try (IdentityServerCredentialSource source = IdentityServerCredentialSource.builder(wrongBase,
                InitialAttestation.joinToken(server.joinToken(ID))).sslContext(server.clientTls()).clock(clock)
                .checkInterval(Duration.ofHours(1)).build()) {
            WimseException e = catchThrowableOfType(source::current, WimseException.class);
            assertThat(((IdentityServerException) e.getCause()).code()).contains(Problem.Code.INVALID_PROOF.code());
        }
    }

    @Test
    void theBackgroundThreadRenewsOnItsOwn() throws Exception {
        server.register(ID, TTL, null, "join_token", "wit");
        try (IdentityServerCredentialSource source = source(InitialAttestation.joinToken(server.joinToken(ID)))
                .checkInterval(Duration.ofMillis(20)).build()) {
            WorkloadCredentials first = source.current();
            clock.advance(Duration.ofSeconds(TTL * 2 / 3 + 1));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (source.current() == first) {
                assertThat(System.nanoTime()).as("renewed in time").isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(cnfThumbprint(source.current())).isNotEqualTo(cnfThumbprint(first));
        }
    }

    @Test
    void ID_3_aRotatedKeyReachesVerifiersThroughTheJwksBeforeItSigns() throws Exception {
        server.register(ID, TTL, null, "join_token", "wit");
        TrustDomain td = new TrustDomain(ServerHarness.TRUST_DOMAIN);
        try (IdentityServerCredentialSource source = source(InitialAttestation.joinToken(server.joinToken(ID))).build();
             HttpJwksTrustBundleSource jwks = HttpJwksTrustBundleSource.builder().trustDomain(td, server.jwksUri())
                     .sslContext(server.clientTls()).clock(clock).checkInterval(Duration.ofHours(1)).build()) {
            WitVerifier verifier = WitVerifier.builder().trust(jwks).clock(clock).build();
            WorkloadCredentials first = source.current();
            String oldKid = CompactJws.parse(first.wit(), 8192).keyId().orElseThrow();
            assertThat(verifier.verify(first.wit()).subject()).isEqualTo(first.subject());

            String newKid = server.rotateKeys();
            assertThat(newKid).isNotEqualTo(oldKid);
            clock.advance(Duration.ofSeconds(300 * 3 / 4));          // the server's max-age is 300 s
            jwks.refreshDueAndWait();
            assertThat(jwks.bundleFor(td).orElseThrow().keys()).anyMatch(k -> k.keyId().equals(java.util.Optional.of(newKid)));

            clock.set(first.expiresAt().minusSeconds(TTL / 3 - 1));   // past publish-ahead and 2/3 of the WIT
            server.maintainKeys();
            source.runDueAndWait();
            WorkloadCredentials renewed = source.current();
            assertThat(CompactJws.parse(renewed.wit(), 8192).keyId()).as("signed by the rotated key").contains(newKid);
            assertThat(verifier.verify(renewed.wit()).subject()).isEqualTo(first.subject());
        }
    }

    @Test
    void endToEndAWorkloadCallsAServiceThatTrustsTheSameIdentityServer() throws Exception {
        server.register(ID, TTL, null, "join_token", "wit");
        try (IdentityServerCredentialSource source = source(InitialAttestation.joinToken(server.joinToken(ID))).build();
             HttpJwksTrustBundleSource jwks = HttpJwksTrustBundleSource.builder()
                     .trustDomain(new TrustDomain(ServerHarness.TRUST_DOMAIN), server.jwksUri())
                     .sslContext(server.clientTls()).clock(clock).build();
             VerifyingServer service = new VerifyingServer(RequestVerifier.builder().trust(jwks).clock(clock).build())) {
            SigningHttpClient client = SigningHttpClient.builder().allowInsecureHttp(true)
                    .signer(RequestSigner.builder().credentials(source)
                            .proofCreator(WptCreator.create(clock, Duration.ofSeconds(60))).build()).build();
            HttpRequest call = HttpRequest.newBuilder(service.uri("/orders")).GET().build();
            HttpResponse<String> response = client.send(call, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(ID);

            clock.advance(Duration.ofSeconds(TTL * 2 / 3 + 1));
            source.runDueAndWait();
            response = client.send(call, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("signed with the renewed credentials").isEqualTo(200);
            assertThat(service.callers).hasSize(2);
            assertThat(service.callers.get(1).wit().token()).isEqualTo(source.current().wit()).isNotEqualTo(service.callers.get(0).wit().token());
        }
    }
}
