package io.wimse4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.WicUsage;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import io.wimse4j.x509.tls.WicKeyManager;
import io.wimse4j.x509.tls.WicTrustManager;
import io.wimse4j.x509.tls.WimseTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code wimse demo-service --mtls-ca}: the echo service in mutual-TLS mode over real handshakes (MT-1, MT-2, WIC-4). */
class MutualTlsDemoServiceCommandTest {
    private static final String BASE = "https://echo.example.org";
    private static final String SERVER_ID = "wimse://example.org/svc/echo";
    private static final Clock CLOCK = Clock.systemUTC();
    static final HeldCertificate CA = HeldCertificate.builder().commonName("example.org CA").certificateAuthority(0).build();
    static final HeldCertificate SERVER = HeldCertificate.builder().uri(SERVER_ID).usages(WicUsage.SERVER).signedBy(CA).build();

    @TempDir
    Path dir;
    private RunningDemoService running;

    @AfterEach
    void stop() throws Exception {
        if (running != null) {
            assertThat(running.stop()).isTrue();
        }
    }

    private List<String> serverFiles() throws IOException {
        Path cert = Files.writeString(dir.resolve("server.pem"), SERVER.chainPem());
        Path key = Files.writeString(dir.resolve("server.key.pem"), SERVER.privateKeyPem());
        Path ca = Files.writeString(dir.resolve("ca.pem"), CA.certificatePem());
        return List.of("--tls-cert", cert.toString(), "--tls-key", key.toString(), "--mtls-ca", "example.org=" + ca);
    }

    private URI start(List<String> more) throws Exception {
        List<String> args = new ArrayList<>(List.of("demo-service", "--base-uri", BASE, "--port", "0"));
        args.addAll(more);
        running = RunningDemoService.start(args);
        assertThat(running.out.toString()).contains("mutual TLS");
        return running.url;
    }

    private static HttpResponse<String> get(URI url, HeldCertificate client) throws Exception {
        WicKeyManager keys = client == null ? new WicKeyManager(CLOCK) : WicKeyManager.of(client.keyPair().getPrivate(), client.chain(), CLOCK);
        WicTrustManager trust = WicTrustManager.builder().trust(X509TrustSource.of(X509TrustBundle.of(new TrustDomain("example.org"),
                List.of(CA.certificate())))).expectServer(CallerAuthorizer.id(WorkloadIdentifier.parse(SERVER_ID))).build();
        HttpClient http = HttpClient.newBuilder().sslContext(WimseTls.context(keys, trust)).connectTimeout(Duration.ofSeconds(10)).build();
        return http.send(HttpRequest.newBuilder(URI.create(url + "/echo")).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void WIC_4_aClientWicIsTheCallerAndOthersFailTheHandshake() throws Exception {
        URI url = start(serverFiles());
        String caller = "wimse://example.org/svc/caller";
        HttpResponse<String> r = get(url, HeldCertificate.builder().uri(caller).usages(WicUsage.CLIENT).signedBy(CA).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(r.body()).get("workload").asText()).isEqualTo(caller);

        HeldCertificate rogue = HeldCertificate.builder().certificateAuthority(0).build();
        assertThatThrownBy(() -> get(url, HeldCertificate.builder().uri(caller).usages(WicUsage.CLIENT).signedBy(rogue).build()))
                .as("MT-1: a certificate of an untrusted CA").isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(url, null)).as("MT-2: no client certificate").isInstanceOf(IOException.class);
    }

    @Test
    void WIC_4_mtlsAllowAdmitsOnlyTheListedWorkloadsInTheHandshake() throws Exception {
        String caller = "wimse://example.org/svc/caller";
        List<String> args = new ArrayList<>(serverFiles());
        args.addAll(List.of("--mtls-allow", caller));
        URI url = start(args);
        assertThat(get(url, HeldCertificate.builder().uri(caller).usages(WicUsage.CLIENT).signedBy(CA).build()).statusCode())
                .isEqualTo(200);
        assertThatThrownBy(() -> get(url, HeldCertificate.builder().uri("wimse://example.org/svc/other").usages(WicUsage.CLIENT)
                .signedBy(CA).build())).as("PEER_NOT_AUTHORIZED in the handshake").isInstanceOf(IOException.class);
        Cli.Result r = Cli.run("demo-service", "--base-uri", BASE, "--insecure-http", "--trust", "example.org=x.json",
                "--mtls-allow", caller);
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("--mtls-allow needs --mtls-ca");
    }

    @Test
    void MT_2_mtlsCaNeedsTlsAndAWellFormedValue() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), CA.certificatePem());
        Cli.Result r = Cli.run("demo-service", "--base-uri", BASE, "--insecure-http", "--mtls-ca", "example.org=" + ca);
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("--mtls-ca needs --tls-cert and --tls-key (mutual TLS is TLS)");
        List<String> files = new ArrayList<>(serverFiles());
        files.addAll(List.of("--mtls-ca", "example.org=" + ca));
        List<String> args = new ArrayList<>(List.of("demo-service", "--base-uri", BASE, "--port", "0"));
        args.addAll(files);
        r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("--mtls-ca: trust domain example.org is given twice");
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        r = Cli.run("demo-service", "--base-uri", BASE, "--port", "0", "--tls-cert", files.get(1), "--tls-key", files.get(3),
                "--mtls-ca", "example.org=" + notPem);
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("--mtls-ca example.org: bad CA bundle in '" + notPem + "'");
    }
}
