package io.wimse4j.cli;

import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.WicUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wimse server} flags beyond the basics: an operator-provided TLS certificate, the WIC lifetime. */
class ServerCommandTest {
    @TempDir
    Path tmp;
    final List<Running> running = new ArrayList<>();

    /** A {@code wimse server} run in a thread of this JVM, stopped by interrupting it. */
    static final class Running {
        final Thread thread;
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final AtomicInteger exit = new AtomicInteger(-1);
        String url;

        Running(String... args) {
            List<String> all = new ArrayList<>(List.of("server"));
            all.addAll(List.of(args));
            thread = new Thread(() -> exit.set(WimseCli.commandLine(new ByteArrayInputStream(new byte[0]),
                    new PrintWriter(out, true), new PrintWriter(err, true)).execute(all.toArray(String[]::new))),
                    "wimse-server-command");
            thread.start();
        }

        /** Waits until the server printed its banner; false when it exited instead. */
        boolean started() throws InterruptedException {
            for (int i = 0; i < 600; i++) {
                String o = out.toString();
                if (o.contains("TLS certificate:") || o.contains("-----END CERTIFICATE-----")) {
                    Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(o);
                    assertThat(m.find()).as(o).isTrue();
                    url = "https://127.0.0.1:" + m.group(1);
                    return true;
                }
                if (!thread.isAlive()) {
                    return false;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("the server did not start: " + out + err);
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(20_000);
        }
    }

    Running server(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--trust-domain", "example.org", "--state-dir",
                tmp.resolve("state").toString(), "--port", "0"));
        all.addAll(List.of(args));
        Running r = new Running(all.toArray(String[]::new));
        running.add(r);
        return r;
    }

    @AfterEach
    void stop() throws Exception {
        for (Running r : running) {
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

        Running server = server("--tls-cert", chain.toString(), "--tls-key", key.toString());
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

        Running alone = server("--tls-cert", chain.toString());
        assertThat(alone.started()).isFalse();
        assertThat(alone.exit.get()).isEqualTo(WimseCli.USAGE);
        assertThat(alone.err.toString()).contains("tls-cert and tls-key go together");

        Running mismatched = server("--tls-cert", chain.toString(), "--tls-key", key.toString());
        assertThat(mismatched.started()).isFalse();
        assertThat(mismatched.exit.get()).isEqualTo(WimseCli.USAGE);
        assertThat(mismatched.err.toString()).contains("cannot start: tls-cert " + chain + " and tls-key " + key
                + ": the private key does not belong to the leaf certificate");
    }

    Cli.Result admin(Running server, String... args) {
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        all.addAll(List.of("--server", server.url, "--admin-token-file", tmp.resolve("state/admin-token").toString(),
                "--ca", tmp.resolve("state/ca.pem").toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void MT_7_wicTtlSetsTheLifetimeOfTheIssuedWics() throws Exception {
        Running server = server("--wic-ttl", "10m");
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
        Running server = server("--wic-ttl", "25h");
        assertThat(server.started()).isFalse();
        assertThat(server.exit.get()).isEqualTo(WimseCli.USAGE);
        assertThat(server.err.toString()).contains("WIC TTL must be at most 24 hours");
    }
}
