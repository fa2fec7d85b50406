package io.wimse4j.client;

import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.MutableClock;
import io.wimse4j.testkit.RecordingObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the credential sources tell their observer (issue 13): every WIT or WIC obtained or renewed, with its
 * expiry, and every failed attempt; the Identity Server sources against the real server over HTTPS (as
 * {@link IdentityServerCredentialSourceTest}), {@link FileCredentialSource} over real files.
 */
class CredentialSourceObserverTest {
    private static final String ID = "wimse://example.org/svc/orders";
    private static final long TTL = 3600;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final RecordingObserver observer = new RecordingObserver();
    private ServerHarness server;

    @BeforeEach
    void startServer() throws Exception {
        server = new ServerHarness(dir.resolve("state"), clock, null);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void KEY_4_eachWitObtainedOrRenewedIsReportedWithItsExpiryAndEachFailedAttemptToo() throws Exception {
        server.register(ID, TTL, null, "join_token", "wit");
        try (IdentityServerCredentialSource source = IdentityServerCredentialSource.builder(server.baseUri(),
                        InitialAttestation.joinToken(server.joinToken(ID))).sslContext(server.clientTls()).clock(clock)
                .checkInterval(Duration.ofHours(1)).backoff(Duration.ofSeconds(1), Duration.ofSeconds(4)).observer(observer).build()) {
            WorkloadCredentials first = source.current();
            clock.advance(Duration.ofSeconds(TTL * 2 / 3 + 1));
            source.runDueAndWait();
            WorkloadCredentials renewed = source.current();
            assertThat(renewed.expiresAt()).isAfter(first.expiresAt());

            server.stop();
            clock.advance(Duration.ofSeconds(TTL * 2 / 3 + 1));
            source.runDueAndWait();
            assertThat(observer.events()).containsExactly("renewed wit until " + first.expiresAt(),
                    "renewed wit until " + renewed.expiresAt(), "renewal failed wit: ConnectException");
        }
    }

    @Test
    void MT_7_eachWicObtainedIsReportedWithItsExpiryAndARefusedRenewalAsAFailure() throws Exception {
        // the registration does not allow 'wic', and the join token is used up: the renewal is refused
        server.register(ID, 600, null, "join_token");
        try (IdentityServerWicSource source = IdentityServerWicSource.builder(server.baseUri(), WorkloadIdentifier.parse(ID),
                        InitialAttestation.joinToken(server.joinToken(ID))).serverCaPem(server.caCertFile()).clock(clock)
                .checkInterval(Duration.ofHours(1)).backoff(Duration.ofSeconds(1), Duration.ofSeconds(4)).observer(observer).build()) {
            X509Certificate leaf = source.currentChain().get(0);
            clock.advance(Duration.ofSeconds(TTL * 2 / 3 + 1));
            source.runDueAndWait();
            assertThat(observer.events()).containsExactly("renewed wic until " + leaf.getNotAfter().toInstant(),
                    "renewal failed wic: IdentityServerException");
        }
    }

    @Test
    void KEY_4_eachPairLoadedFromFilesIsReportedAndAPairThatDoesNotLoadIsAFailure() throws Exception {
        Fixture fixture = new Fixture();
        MutableClock fileClock = new MutableClock(Fixture.NOW);
        Path witFile = dir.resolve("wit.jwt");
        Path keyFile = dir.resolve("key.jwk");
        write(witFile, fixture.wit);
        write(keyFile, fixture.workloadKey.privateJwkJson());
        FileCredentialSource source = FileCredentialSource.builder(witFile, keyFile).clock(fileClock).checkInterval(Duration.ZERO)
                .observer(observer).build();
        Instant firstExpiry = source.current().expiresAt();

        WorkloadKeyPair next = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String rotated = fixture.issuer().issue(fixture.workload, next.publicJwk(), Duration.ofMinutes(30), Map.of()).token();
        write(witFile, rotated);
        write(keyFile, next.privateJwkJson());
        Instant rotatedExpiry = source.current().expiresAt();
        write(witFile, "not a token, half written");
        assertThat(source.current().expiresAt()).as("the previous pair stays in use").isEqualTo(rotatedExpiry);
        assertThat(source.current().expiresAt()).as("an unchanged broken pair is not read again").isEqualTo(rotatedExpiry);

        assertThat(observer.events()).containsExactly("renewed wit until " + firstExpiry, "renewed wit until " + rotatedExpiry,
                "renewal failed wit: WimseException");
        assertThat(rotatedExpiry).isNotEqualTo(firstExpiry);
    }

    private void write(Path file, String content) throws Exception {
        Path tmp = Files.createTempFile(dir, "tmp", ".part", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
