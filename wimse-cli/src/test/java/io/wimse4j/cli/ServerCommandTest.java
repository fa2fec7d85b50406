package io.wimse4j.cli;

import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.WicUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wimse server} flags beyond the basics: an operator-provided TLS certificate, the WIC lifetime. */
class ServerCommandTest {
    @TempDir
    Path tmp;
    final List<RunningServer> running = new ArrayList<>();

    RunningServer server(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--trust-domain", "example.org", "--state-dir",
                tmp.resolve("state").toString(), "--port", "0"));
        all.addAll(List.of(args));
        RunningServer r = new RunningServer(all.toArray(String[]::new));
        running.add(r);
        return r;
    }

    @AfterEach
    void stop() throws Exception {
        for (RunningServer r : running) {
            r.stop();
        }
    }

    @Test
    void tlsCertAndTlsKeyServeTheOperatorsCertificate() throws Exception {
        HeldCertificate root = HeldCertificate.builder().certificateAuthority(0).commonName("operator root").build();
        HeldCertificate leaf = HeldCertificate.builder().dnsName("localhost").ipAddress("127.0.0.1").usages(WicUsage.SERVER)
                .duration(Duration.ofDays(90)).signedBy(root).build();
        Path chain = tmp.resolve("tls.pem");
        Path key = tmp.resolve("tls-key.pem");
        Path rootFile = tmp.resolve("root.pem");
        Files.writeString(chain, leaf.certificatePem());
        Pem.writePrivateKey(key, leaf.keyPair().getPrivate());
        Files.writeString(rootFile, root.certificatePem());

        RunningServer server = server("--tls-cert", chain.toString(), "--tls-key", key.toString());
        assertThat(server.started()).as(server.err.toString()).isTrue();
        assertThat(server.out.toString()).contains("TLS certificate:  " + chain + " (operator-provided")
                .doesNotContain("BEGIN CERTIFICATE").doesNotContain("CA certificate:");
        HttpClient client = HttpClient.newBuilder().sslContext(io.wimse4j.client.TlsTrust.fromCaPem(rootFile)).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(server.url + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.sslSession().orElseThrow().getPeerCertificates()[0]).isEqualTo(leaf.certificate());
        // the admin commands work over it with --ca naming the operator's root
        Cli.Result keys = Cli.run("admin", "keys", "--server", server.url, "--admin-token-file",
                tmp.resolve("state/admin-token").toString(), "--ca", rootFile.toString());
        assertThat(keys.exit()).as(keys.err()).isEqualTo(WimseCli.OK);
    }

    @Test
    void tlsCertWithoutTlsKeyOrAKeyOfAnotherCertificateIsAUsageError() throws Exception {
        HeldCertificate leaf = HeldCertificate.builder().dnsName("localhost").usages(WicUsage.SERVER).build();
        Path chain = tmp.resolve("tls.pem");
        Path key = tmp.resolve("tls-key.pem");
        Files.writeString(chain, leaf.certificatePem());
        Pem.writePrivateKey(key, HeldCertificate.builder().build().keyPair().getPrivate());

        RunningServer alone = server("--tls-cert", chain.toString());
        assertThat(alone.started()).isFalse();
        assertThat(alone.exit.get()).isEqualTo(WimseCli.USAGE);
        assertThat(alone.err.toString()).contains("tls-cert and tls-key go together");

        RunningServer mismatched = server("--tls-cert", chain.toString(), "--tls-key", key.toString());
        assertThat(mismatched.started()).isFalse();
        assertThat(mismatched.exit.get()).isEqualTo(WimseCli.USAGE);
        assertThat(mismatched.err.toString()).contains("cannot start: tls-cert " + chain + " and tls-key " + key
                + ": the private key does not belong to the leaf certificate");
    }

    Cli.Result admin(RunningServer server, String... args) {
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        all.addAll(List.of("--server", server.url, "--admin-token-file", tmp.resolve("state/admin-token").toString(),
                "--ca", tmp.resolve("state/ca.pem").toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void MT_7_wicTtlSetsTheLifetimeOfTheIssuedWics() throws Exception {
        RunningServer server = server("--wic-ttl", "10m");
        assertThat(server.started()).as(server.err.toString()).isTrue();
        assertThat(admin(server, "register", "--id", "wimse://example.org/svc", "--attestation", "join_token").exit())
                .isEqualTo(WimseCli.OK);
        Cli.Result token = admin(server, "join-token", "--id", "wimse://example.org/svc");
        assertThat(token.exit()).as(token.err()).isEqualTo(WimseCli.OK);
        Files.writeString(tmp.resolve("join-token"), token.json().get("token").textValue());

        Cli.Result wic = Cli.run("wic", "request", "--server", server.url, "--server-ca", tmp.resolve("state/ca.pem").toString(),
                "--id", "wimse://example.org/svc", "--join-token", "@" + tmp.resolve("join-token"),
                "--out-cert", tmp.resolve("wic.pem").toString(), "--out-key", tmp.resolve("wic-key.pem").toString());
        assertThat(wic.exit()).as(wic.err()).isEqualTo(WimseCli.OK);
        java.security.cert.X509Certificate leaf = Pem.readCertificates(tmp.resolve("wic.pem")).get(0);
        // notBefore is backdated one minute (clock skew); notAfter is issuance + wic-ttl
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofMinutes(11));
    }

    @Test
    void MT_7_aWicTtlOver24HoursIsAUsageError() throws Exception {
        RunningServer server = server("--wic-ttl", "25h");
        assertThat(server.started()).isFalse();
        assertThat(server.exit.get()).isEqualTo(WimseCli.USAGE);
        assertThat(server.err.toString()).contains("WIC TTL must be at most 24 hours");
    }
}
