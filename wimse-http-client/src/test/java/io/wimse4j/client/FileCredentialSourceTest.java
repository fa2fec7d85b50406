package io.wimse4j.client;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link FileCredentialSource}: loading, rotation (KEY-4), expiry (KEY-3), broken files. */
class FileCredentialSourceTest {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @TempDir
    Path dir;

    private final Fixture fixture = new Fixture();
    private final MutableClock clock = new MutableClock(Fixture.NOW);
    private Path witFile;
    private Path keyFile;

    @BeforeEach
    void writeInitialFiles() throws Exception {
        witFile = dir.resolve("wit.jwt");
        keyFile = dir.resolve("key.jwk");
        write(witFile, fixture.wit);
        write(keyFile, fixture.workloadKey.privateJwkJson());
    }

    /** Replaces {@code file} atomically with an owner-only file holding {@code content}. */
    private void write(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(dir, "tmp", ".part", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(OWNER_ONLY);
    }

    private FileCredentialSource source() {
        return FileCredentialSource.builder(witFile, keyFile).clock(clock).build();
    }

    /** A new key and a WIT for it, valid from {@link Fixture#NOW} for {@code ttl}. */
    private String rotate(WorkloadKeyPair newKey, Duration ttl) throws Exception {
        String wit = fixture.issuer().issue(fixture.workload, newKey.publicJwk(), ttl, Map.of()).token();
        write(witFile, wit);
        write(keyFile, newKey.privateJwkJson());
        return wit;
    }

    @Test
    void loadsThePairAndSignsRequestsAcceptedOverTheWire() throws Exception {
        FileCredentialSource source = source();
        assertThat(source.current().wit()).isEqualTo(fixture.wit);

        try (VerifyingServer server = new VerifyingServer(fixture.verifier().build())) {
            SigningHttpClient client = SigningHttpClient.builder().allowInsecureHttp(true)
                    .signer(RequestSigner.builder().credentials(source).proofCreator(fixture.creator()).build()).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/orders")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(fixture.workload.value());
        }
    }

    @Test
    void KEY_4_reloadsANewWitWithANewKeyAfterTheCheckInterval() throws Exception {
        FileCredentialSource source = source();
        WorkloadCredentials first = source.current();

        WorkloadKeyPair newKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        String newWit = rotate(newKey, Duration.ofHours(2));

        assertThat(source.current()).as("files are looked at most once per second").isSameAs(first);
        clock.advance(Duration.ofSeconds(1));
        WorkloadCredentials second = source.current();
        assertThat(second.wit()).isEqualTo(newWit);
        assertThat(second.signer().algorithm()).isEqualTo(JwsAlgorithm.ES256);

        try (VerifyingServer server = new VerifyingServer(fixture.verifier().build())) {
            SigningHttpClient client = SigningHttpClient.builder().allowInsecureHttp(true)
                    .signer(RequestSigner.builder().credentials(source).proofCreator(fixture.creator()).build()).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/orders")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("body %s", response.body()).isEqualTo(200);
            assertThat(server.callers.get(0).wit().token()).isEqualTo(newWit);
        }
    }

    @Test
    void KEY_3_expiredWitIsNeverReturned() throws Exception {
        FileCredentialSource source = source();
        WorkloadCredentials creds = source.current();

        clock.set(creds.expiresAt().minusSeconds(1));
        assertThat(source.current()).isSameAs(creds);
        clock.set(creds.expiresAt());
        assertRejected(source::current, Reason.CREDENTIALS_EXPIRED);

        try (VerifyingServer server = new VerifyingServer(fixture.verifier().build())) {
            SigningHttpClient client = SigningHttpClient.builder().allowInsecureHttp(true)
                    .signer(RequestSigner.builder().credentials(source).proofCreator(fixture.creator()).build()).build();
            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(server.uri("/orders")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOfSatisfying(WimseSigningException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS_EXPIRED));
            assertThat(server.requests).hasValue(0);
        }
    }

    @Test
    void KEY_3_anAlreadyExpiredWitOnFirstLoadIsRefused() throws Exception {
        clock.set(Fixture.NOW.plus(Duration.ofDays(1)));
        assertRejected(source()::current, Reason.CREDENTIALS_EXPIRED);
    }

    @Test
    void aCorruptedWitFileKeepsThePreviousCredentialsWhileTheyAreValid() throws Exception {
        FileCredentialSource source = source();
        WorkloadCredentials good = source.current();

        Files.writeString(witFile, fixture.wit.substring(0, fixture.wit.length() / 2)); // half written, in place
        clock.advance(Duration.ofSeconds(5));
        assertThat(source.current()).isSameAs(good);

        clock.set(good.expiresAt());
        assertRejected(source::current, Reason.CREDENTIALS_EXPIRED);
    }

    @Test
    void theWarningForABrokenFileNamesTheFileButNeverItsContents() throws Exception {
        FileCredentialSource source = source();
        WorkloadCredentials good = source.current();
        String secret = "eyJzZWNyZXQiOiJkby1ub3QtbG9nLW1lIn0";
        Files.writeString(witFile, secret + ".garbage");
        write(keyFile, fixture.workloadKey.privateJwkJson() + " ");
        clock.advance(Duration.ofSeconds(1));

        java.io.PrintStream savedErr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(source.current()).isSameAs(good);
        } finally {
            System.setErr(savedErr);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log).contains("WARN").contains(witFile.toString()).contains("keeping the previous ones");
        assertThat(log).doesNotContain(secret).doesNotContain(fixture.wit)
                .doesNotContain(fixture.workloadKey.privateJwkJson());
        String d = Fixture.json(fixture.workloadKey.privateJwkJson()).get("d").asText();
        assertThat(log).doesNotContain(d);
    }

    @Test
    void aHalfRotatedPairKeepsTheOldCredentialsUntilTheKeyArrives() throws Exception {
        FileCredentialSource source = source();
        WorkloadCredentials old = source.current();

        WorkloadKeyPair newKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String newWit = fixture.issuer().issue(fixture.workload, newKey.publicJwk(), Duration.ofHours(2), Map.of()).token();
        write(witFile, newWit); // the key file still holds the old key
        clock.advance(Duration.ofSeconds(1));
        assertThat(source.current()).isSameAs(old);

        write(keyFile, newKey.privateJwkJson());
        clock.advance(Duration.ofSeconds(1));
        assertThat(source.current().wit()).isEqualTo(newWit);
    }

    @Test
    void aCorruptedKeyFileWithoutPreviousCredentialsFailsWithItsReason() throws Exception {
        write(keyFile, "{\"kty\":\"OKP\",\"crv\":");
        assertRejected(source()::current, Reason.INVALID_KEY);
    }

    @Test
    void aMissingWitFileFailsWithItsReason() throws Exception {
        Files.delete(witFile);
        assertRejected(source()::current, Reason.MALFORMED_TOKEN);
    }

    @Test
    void builderValidates() {
        assertThatThrownBy(() -> FileCredentialSource.builder(witFile, witFile).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FileCredentialSource.builder(witFile, keyFile).checkInterval(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalStateException.class);
    }
}
