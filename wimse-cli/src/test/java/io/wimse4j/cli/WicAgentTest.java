package io.wimse4j.cli;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.VerifiedWic;
import io.wimse4j.x509.WicValidator;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import io.wimse4j.x509.tls.FileWicSource;
import io.wimse4j.x509.tls.WicKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WIC side of the agent against a real {@code wimse server} issuing WICs of a few seconds:
 * {@code wimse wic fetch} (one shot) and {@code wimse agent --wic}, whose chain and key files
 * {@link FileWicSource} loads and which are replaced before expiry with a new key.
 */
class WicAgentTest {
    static final String ID = "wimse://example.org/svc/wic-agent";

    @TempDir
    Path tmp;
    IdentityServerFixture ids;
    RunningAgent agent;

    @BeforeEach
    void startServer() throws Exception {
        ids = new IdentityServerFixture(tmp.resolve("state"), "--wic-ttl", "6s");
        ids.register(ID, 600, "join_token,wit,wic");
    }

    @AfterEach
    void stopAll() throws Exception {
        if (agent != null) {
            agent.stop();
        }
        ids.stop();
    }

    VerifiedWic validate(Path chainFile) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(io.wimse4j.client.TlsTrust.fromCaPem(ids.ca())).build();
        String bundle = http.send(HttpRequest.newBuilder(URI.create(ids.url + "/v1/x509-bundle.pem")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        X509TrustSource trust = X509TrustSource.of(X509TrustBundle.fromPem(new TrustDomain("example.org"), bundle));
        return WicValidator.builder().trust(trust).forClients().build().validate(Pem.readCertificates(chainFile));
    }

    @Test
    void WIC_4_wicFetchIsTheOneShotFormOfWicRequest() throws Exception {
        Cli.Result r = Cli.run("wic", "fetch", "--server", ids.baseUri, "--server-ca", ids.ca().toString(), "--id", ID,
                "--join-token", "@" + ids.joinTokenFile(ID, tmp), "--out-cert", tmp.resolve("wic.pem").toString(),
                "--out-key", tmp.resolve("wic-key.pem").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(WimseCli.OK);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("wic-key.pem")))).isEqualTo("rw-------");
        assertThat(validate(tmp.resolve("wic.pem")).identifier().value()).isEqualTo(ID);
    }

    @Test
    void KEY_4_theAgentKeepsAWicBesideTheWitAndReplacesItBeforeExpiryWithANewKey() throws Exception {
        Path out = tmp.resolve("creds");
        agent = new RunningAgent("--server", ids.baseUri, "--server-ca", ids.ca().toString(),
                "--join-token", "@" + ids.joinTokenFile(ID, tmp), "--wic", "--id", ID,
                "--wic-join-token", "@" + ids.joinTokenFile(ID, tmp), "--out-dir", out.toString(), "--health-port", "0");
        String health = agent.healthUrl();
        Path chain = out.resolve("wic.pem");
        Path key = out.resolve("wic-key.pem");
        AgentCommandTest.await("the WIT and the WIC", Duration.ofSeconds(20), () -> Files.exists(chain) && Files.exists(out.resolve("wit.jwt")));
        for (String f : List.of("wit.jwt", "wit-key.jwk", "wic.pem", "wic-key.pem")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(f)))).as(f).isEqualTo("rw-------");
        }
        VerifiedWic first = validate(chain);
        assertThat(first.identifier().value()).isEqualTo(ID);
        WicKeyManager keys = new WicKeyManager(Clock.systemUTC());
        try (FileWicSource files = FileWicSource.start(chain, key, keys, null, Clock.systemUTC())) {
            assertThat(keys.currentLeaf()).isEqualTo(first.leaf());
            AgentCommandTest.await("a renewed WIC", Duration.ofSeconds(10), () -> {
                try {
                    return !Pem.readCertificates(chain).get(0).equals(first.leaf());
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(java.time.Instant.now()).as("before the first WIC expired").isBefore(first.leaf().getNotAfter().toInstant());
            AgentCommandTest.await("the renewed pair loaded", Duration.ofSeconds(5), () -> files.refresh() || !first.leaf().equals(keys.currentLeaf()));
            X509Certificate second = keys.currentLeaf();
            assertThat(second.getSerialNumber()).isNotEqualTo(first.leaf().getSerialNumber());
            assertThat(second.getPublicKey()).as("KEY-4").isNotEqualTo(first.leaf().getPublicKey());
            assertThat(validate(chain).identifier().value()).isEqualTo(ID);
        }
        assertThat(AgentCommandTest.status(HttpClient.newHttpClient(), health)).isEqualTo(200);
        assertThat(agent.out.toString()).contains("wrote WIC serial").doesNotContain("PRIVATE KEY");
    }
}
