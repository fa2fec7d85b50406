package io.wimse4j.cli;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.VerifiedWic;
import io.wimse4j.x509.WicValidator;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
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
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wimse wic request} against a real {@code wimse server} over HTTPS: a first WIC with a join
 * token, then a renewal with that WIC over mutual TLS ({@code --renew-cert/--renew-key}, method
 * {@code wic}), each validated against the server's published workload CA.
 */
class WicRequestServerTest {
    static final String ID = "wimse://example.org/svc/cli";

    @TempDir
    Path tmp;
    RunningServer server;
    String url;
    Path state;

    @BeforeEach
    void startServer() throws Exception {
        state = tmp.resolve("state");
        server = RunningServer.startedOn(state);
        url = server.url;
    }

    @AfterEach
    void stopServer() throws Exception {
        server.stop();
        assertThat(server.exit.get()).isEqualTo(WimseCli.OK);
    }

    Cli.Result admin(String... args) {
        String[] base = {"admin"};
        String[] all = new String[args.length + 7];
        System.arraycopy(base, 0, all, 0, 1);
        System.arraycopy(args, 0, all, 1, args.length);
        String[] tail = {"--server", url, "--admin-token-file", state.resolve("admin-token").toString(), "--ca",
            state.resolve("ca.pem").toString()};
        System.arraycopy(tail, 0, all, args.length + 1, tail.length);
        return Cli.run(all);
    }

    String joinToken() {
        Cli.Result token = admin("join-token", "--id", ID, "--ttl", "120");
        assertThat(token.exit()).as(token.err()).isZero();
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(token.out()).get("token").textValue();
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + token.out(), e);
        }
    }

    VerifiedWic validate(Path chainFile) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(io.wimse4j.client.TlsTrust.fromCaPem(state.resolve("ca.pem"))).build();
        String bundle = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/x509-bundle.pem")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        X509TrustSource trust = X509TrustSource.of(X509TrustBundle.fromPem(new TrustDomain("example.org"), bundle));
        return WicValidator.builder().trust(trust).forClients().build().validate(Pem.readCertificates(chainFile));
    }

    Cli.Result request(String... attestation) {
        String[] base = {"wic", "request", "--server", url, "--server-ca", state.resolve("ca.pem").toString(), "--id", ID,
            "--out-cert", tmp.resolve("wic.pem").toString(), "--out-key", tmp.resolve("wic-key.pem").toString(), "--force"};
        return Cli.run(base, attestation);
    }

    @Test
    void WIC_4_aWicFromWimseServerRenewsOverMutualTlsWithAFreshKey() throws Exception {
        assertThat(admin("register", "--id", ID, "--attestation", "join_token,wic").exit()).isZero();
        Cli.Result first = request("--join-token", joinToken());
        assertThat(first.exit()).as(first.err()).isZero();
        Path cert = tmp.resolve("wic.pem");
        Path key = tmp.resolve("wic-key.pem");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        X509Certificate firstLeaf = validate(cert).leaf();
        assertThat(validate(cert).identifier().value()).isEqualTo(ID);

        // renew in place: the current files are read first, then replaced
        Cli.Result renewed = request("--renew-cert", cert.toString(), "--renew-key", key.toString());
        assertThat(renewed.exit()).as(renewed.err()).isZero();
        assertThat(renewed.out()).contains("issued " + ID).doesNotContain("PRIVATE KEY");
        VerifiedWic second = validate(cert);
        assertThat(second.identifier().value()).isEqualTo(ID);
        assertThat(second.leaf().getSerialNumber()).isNotEqualTo(firstLeaf.getSerialNumber());
        assertThat(second.leaf().getPublicKey()).as("KEY-4").isNotEqualTo(firstLeaf.getPublicKey());
        List<String> audit = Files.readAllLines(state.resolve("audit.log"));
        assertThat(audit.get(audit.size() - 1)).contains("\"method\":\"wic\"").contains("\"result\":\"issued\"");
    }

    @Test
    void WIC_4_aRegistrationWithoutTheWicMethodRefusesTheRenewalWithExit1() throws Exception {
        assertThat(admin("register", "--id", ID, "--attestation", "join_token").exit()).isZero();
        assertThat(request("--join-token", joinToken()).exit()).isZero();
        String before = Files.readString(tmp.resolve("wic.pem"));
        Cli.Result r = request("--renew-cert", tmp.resolve("wic.pem").toString(), "--renew-key", tmp.resolve("wic-key.pem").toString());
        assertThat(r.exit()).isEqualTo(WimseCli.REJECTED);
        assertThat(r.err()).contains("method-not-allowed-for-identifier");
        assertThat(Files.readString(tmp.resolve("wic.pem"))).as("nothing written").isEqualTo(before);
    }

    @Test
    void KEY_3_aKeyThatIsNotTheCertificatesIsAUsageErrorBeforeAnyRequest() throws Exception {
        assertThat(admin("register", "--id", ID, "--attestation", "join_token,wic").exit()).isZero();
        assertThat(request("--join-token", joinToken()).exit()).isZero();
        Path otherKey = tmp.resolve("other-key.pem");
        Pem.writePrivateKey(otherKey, io.wimse4j.x509.KeyType.EC_P256.generate().getPrivate());
        Cli.Result r = request("--renew-cert", tmp.resolve("wic.pem").toString(), "--renew-key", otherKey.toString());
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("is not the key of the certificate");
        Cli.Result both = request("--join-token", "x", "--renew-cert", tmp.resolve("wic.pem").toString(),
                "--renew-key", otherKey.toString());
        assertThat(both.exit()).as("a join token and a renewal are exclusive").isEqualTo(WimseCli.USAGE);
    }
}
