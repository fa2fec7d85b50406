package io.wimse4j.server;

import io.wimse4j.server.internal.ServerTls;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.KeyType;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.WicUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An operator-provided certificate for the server's own TLS ({@code tls-cert}, {@code tls-key}): real HTTPS
 * handshakes with a {@code java.net.http} client trusting only the operator's root, no built-in CA, and the
 * start refused with a clear message for every unusable chain or key.
 */
class OperatorTlsTest {
    static final HeldCertificate ROOT = HeldCertificate.builder().certificateAuthority(1).commonName("operator root").build();
    static final HeldCertificate INTERMEDIATE = HeldCertificate.builder().certificateAuthority(0)
            .commonName("operator intermediate").signedBy(ROOT).build();

    @TempDir
    Path tmp;

    static HeldCertificate.Builder leaf() {
        return HeldCertificate.builder().commonName("id.example.org").dnsName("id.example.org").dnsName("localhost")
                .ipAddress("127.0.0.1").usages(WicUsage.SERVER).duration(Duration.ofDays(90)).signedBy(INTERMEDIATE);
    }

    /** Writes the chain (leaf and intermediate) and the key; returns {chain file, key file}. */
    Path[] write(HeldCertificate leaf) throws IOException {
        Path chain = tmp.resolve("tls.pem");
        Path key = tmp.resolve("tls-key.pem");
        Files.writeString(chain, Pem.encodeCertificates(List.of(leaf.certificate(), INTERMEDIATE.certificate())));
        Pem.writePrivateKey(key, leaf.keyPair().getPrivate());
        return new Path[] {chain, key};
    }

    ServerConfig.Builder config(Path[] files) throws Exception {
        return ServerConfig.builder("example.org").port(0).stateDir(tmp.resolve("state")).tlsCertificate(files[0], files[1]);
    }

    static HttpClient trusting(HeldCertificate anchor) throws Exception {
        return trusting(anchor.certificatePem());
    }

    static HttpClient trusting(String anchorPem) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ServerTls.trustStore(anchorPem));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    }

    static HttpResponse<String> get(HttpClient client, IdentityServer server, String host, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theServerPresentsTheOperatorsChainToAClientTrustingOnlyTheOperatorsRoot() throws Exception {
        HeldCertificate leaf = leaf().build();
        try (IdentityServer server = IdentityServer.builder(config(write(leaf)).dnsNames(List.of("id.example.org")).build())
                .build().start()) {
            HttpClient client = trusting(ROOT);
            for (String host : List.of("127.0.0.1", "localhost")) {
                HttpResponse<String> r = get(client, server, host, "/healthz");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.sslSession().orElseThrow().getPeerCertificates())
                        .containsExactly(leaf.certificate(), INTERMEDIATE.certificate());
            }
            // no built-in CA: /ca.pem is not served, and neither caPem() nor caCertFile() pretends there is one
            assertProblem(get(client, server, "localhost", "/ca.pem"), 404, "not-found");
            assertThatThrownBy(server::caPem).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("operator-provided certificate (tls-cert)");
            assertThatThrownBy(server::caCertFile).isInstanceOf(IllegalStateException.class);
            assertThat(tmp.resolve("state/ca.pem")).doesNotExist();
            assertThat(tmp.resolve("state/ca-key.pem")).doesNotExist();
            assertThat(get(client, server, "localhost", "/v1/x509-bundle.pem").statusCode()).as("the workload CA is still served")
                    .isEqualTo(200);

            // a client trusting another CA refuses the handshake: the operator's certificate is what it validated
            assertThatThrownBy(() -> get(trusting(HeldCertificate.builder().certificateAuthority(0).build()), server,
                    "localhost", "/healthz")).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void withoutAnOperatorCertificateTheBuiltInCaIsServedAsBefore() throws Exception {
        try (IdentityServer server = IdentityServer.builder(ServerConfig.builder("example.org").port(0)
                .stateDir(tmp.resolve("state")).build()).build().start()) {
            HttpClient client = trusting(Files.readString(server.caCertFile()));
            HttpResponse<String> r = get(client, server, "localhost", "/ca.pem");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(server.caPem()).isEqualTo(Files.readString(server.caCertFile()));
        }
    }

    /** One refused start: the leaf (and what to do to the files), and the message. */
    record Refusal(String name, HeldCertificate leaf, BiConsumer<Path, Path> spoil, List<String> dnsNames, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static void unchecked(IORunnable r) {
        try {
            r.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    interface IORunnable {
        void run() throws IOException;
    }

    static Stream<Refusal> refusals() {
        Instant now = Instant.now();
        HeldCertificate good = leaf().build();
        return Stream.of(
                new Refusal("the key of another certificate", good,
                        (chain, key) -> unchecked(() -> Pem.writePrivateKey(key, KeyType.EC_P256.generate().getPrivate())),
                        List.of(), "and tls-key {key}: the private key does not belong to the leaf certificate (CN=id.example.org)"),
                new Refusal("an expired leaf", leaf().validityInterval(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)))
                        .build(), (chain, key) -> { }, List.of(), "and tls-key {key}: the leaf certificate is not valid at "),
                new Refusal("a client certificate", leaf().usages(WicUsage.CLIENT).build(), (chain, key) -> { }, List.of(),
                        "and tls-key {key}: the leaf certificate's extendedKeyUsage lacks serverAuth"),
                new Refusal("the intermediate first", good, (chain, key) -> unchecked(() -> Files.writeString(chain,
                        Pem.encodeCertificates(List.of(INTERMEDIATE.certificate(), good.certificate())))), List.of(),
                        "and tls-key {key}: the private key does not belong to the leaf certificate (CN=operator intermediate)"),
                new Refusal("a configured DNS name the leaf lacks", good, (chain, key) -> { }, List.of("other.example.org"),
                        ": the certificate lacks the configured DNS name(s) [other.example.org] (its DNS names: [id.example.org, localhost])"),
                new Refusal("no chain file", good, (chain, key) -> unchecked(() -> Files.delete(chain)), List.of(),
                        "{chain}: no such file"),
                new Refusal("a key in the chain file", good, (chain, key) -> unchecked(() -> Files.copy(key, chain,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING)), List.of(),
                        "{chain}: expected only CERTIFICATE blocks, found PRIVATE KEY"),
                new Refusal("a certificate in the key file", good, (chain, key) -> unchecked(() -> Files.copy(chain, key,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING)), List.of(), "tls-key {key}: "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void anUnusableOperatorCertificateRefusesTheStartSayingWhy(Refusal row) throws Exception {
        Path[] files = write(row.leaf());
        row.spoil().accept(files[0], files[1]);
        IdentityServer server = IdentityServer.builder(config(files).dnsNames(row.dnsNames()).build()).build();
        String expected = row.message().replace("{chain}", files[0].toString()).replace("{key}", files[1].toString());
        assertThatThrownBy(server::start).isInstanceOf(IOException.class).hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("BEGIN"));
        server.close();
    }

    @Test
    void wildcardDnsNamesOfTheOperatorsCertificateCoverTheConfiguredNames() {
        assertThat(ServerTls.covers(List.of("*.example.org"), "id.example.org")).isTrue();
        assertThat(ServerTls.covers(List.of("*.example.org"), "a.id.example.org")).isFalse();
        assertThat(ServerTls.covers(List.of("*.example.org"), "example.org")).isFalse();
        assertThat(ServerTls.covers(List.of("ID.Example.org"), "id.example.org")).isTrue();
    }

    @Test
    void theConfigurationTakesBothFilesOrNeitherAndNeverWithPlainHttp() throws Exception {
        ServerConfig c = ConfigLoader.load(null, Map.of("WIMSE_SERVER_TLS_KEY", "/etc/wimse/tls-key.pem"),
                Map.of("trust-domain", "example.org", "tls-cert", "/etc/wimse/tls.pem"));
        assertThat(c.operatorTls()).hasValue(new ServerConfig.OperatorTls(Path.of("/etc/wimse/tls.pem"),
                Path.of("/etc/wimse/tls-key.pem")));
        assertThat(ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org")).operatorTls()).isEmpty();
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org", "tls-cert", "/x.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tls-cert and tls-key go together");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org", "tls-key", "/x.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tls-cert and tls-key go together");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("trust-domain", "example.org", "tls-cert", "/x.pem",
                "tls-key", "/y.pem", "insecure-http", "true"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tls-cert and tls-key are for HTTPS; they cannot go with insecure-http");
    }
}
