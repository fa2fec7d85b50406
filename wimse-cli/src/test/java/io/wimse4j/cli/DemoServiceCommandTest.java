package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.demo.TestPki;
import org.junit.jupiter.api.AfterEach;
import io.wimse4j.client.IdentityServerCredentialSource;
import io.wimse4j.client.InitialAttestation;
import io.wimse4j.client.TlsTrust;
import io.wimse4j.server.IdentityServer;
import io.wimse4j.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
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

/** {@code wimse demo-service}: argument errors, and a real start on port 0 answering signed requests. */
class DemoServiceCommandTest {
    private static final String BASE = "https://echo.example.org";

    @TempDir
    Path dir;

    private final WorkloadKeyPair issuerKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    private final WorkloadKeyPair workloadKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
    private RunningDemoService running;

    @AfterEach
    void stop() throws Exception {
        if (running != null) {
            assertThat(running.stop()).as("demo-service stops when interrupted").isTrue();
        }
    }

    private String jwksFile() throws Exception {
        Path f = dir.resolve("issuer.jwks.json");
        Files.writeString(f, "{\"keys\":[" + issuerKey.publicJwk().toJson() + "]}");
        return f.toString();
    }

    private void assertUsage(Cli.Result r, String message) {
        assertThat(r.exit()).as("exit code; stderr %s", r.err()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains(message);
        assertThat(r.out()).doesNotContain("listening");
    }

    @Test
    void SEC_1_neitherTlsNorInsecureHttpIsAUsageError() throws Exception {
        assertUsage(Cli.run("demo-service", "--trust", "example.org=" + jwksFile(), "--base-uri", BASE, "--port", "0"),
                "wimse demo-service: TLS is required (SEC-1): give --tls-cert and --tls-key, or --insecure-http explicitly");
    }

    @Test
    void SEC_1_bothTlsAndInsecureHttpIsAUsageError() throws Exception {
        TestPki.ServerPem pem = TestPki.create().writeServerPem(dir);
        assertUsage(Cli.run("demo-service", "--trust", "example.org=" + jwksFile(), "--base-uri", BASE, "--port", "0",
                "--tls-cert", pem.cert().toString(), "--tls-key", pem.key().toString(), "--insecure-http"),
                "give either --tls-cert/--tls-key or --insecure-http, not both");
    }

    @Test
    void tlsCertWithoutKeyIsAUsageError() throws Exception {
        TestPki.ServerPem pem = TestPki.create().writeServerPem(dir);
        assertUsage(Cli.run("demo-service", "--trust", "example.org=" + jwksFile(), "--base-uri", BASE,
                "--tls-cert", pem.cert().toString()), "--tls-cert and --tls-key go together");
    }

    @Test
    void requiredOptionsAndBadValuesAreUsageErrors() throws Exception {
        assertUsage(Cli.run("demo-service", "--base-uri", BASE, "--insecure-http"),
                "give --trust <trust-domain>=<jwks>, or --mtls-ca <trust-domain>=<ca.pem> for mutual TLS");
        assertUsage(Cli.run("demo-service", "--trust", "example.org=" + jwksFile(), "--insecure-http"),
                "Missing required option: '--base-uri=<uri>'");
        assertUsage(Cli.run("demo-service", "--trust", "example.org", "--base-uri", BASE, "--insecure-http"),
                "--trust must be <trust-domain>=<jwks-file|https-url>, got 'example.org'");
        assertUsage(Cli.run("demo-service", "--trust", "example.org=" + dir.resolve("missing.json"), "--base-uri", BASE, "--insecure-http"),
                "cannot read JWKS");
        assertUsage(Cli.run("demo-service", "--trust", "example.org=" + jwksFile(), "--base-uri", "https://a.example/?q", "--insecure-http"),
                "external base URI https://a.example/?q");
        assertUsage(Cli.run("demo-service", "--trust", "example.org=" + jwksFile(), "--base-uri", BASE, "--insecure-http",
                "--redis", "localhost:6379"), "the Redis URL must start with redis://");
        Path notJwks = dir.resolve("bad.json");
        Files.writeString(notJwks, "{\"keys\":[{\"kty\":\"nope\"}]}");
        assertUsage(Cli.run("demo-service", "--trust", "example.org=" + notJwks, "--base-uri", BASE, "--insecure-http"),
                "--trust example.org: bad JWKS in '" + notJwks + "'");
    }

    @Test
    void aPortInUseIsAUsageError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertUsage(Cli.run("demo-service", "--trust", "example.org=" + jwksFile(), "--base-uri", BASE, "--insecure-http",
                    "--port", Integer.toString(port)), "wimse demo-service: cannot listen on 127.0.0.1:" + port + ": ");
        }
    }

    @Test
    void insecureHttpStartsOnPort0AndAnswersASignedRequest() throws Exception {
        URI url = start("--insecure-http");
        assertThat(url.getScheme()).isEqualTo("http");
        assertEchoed(url, null);
    }

    @Test
    void SEC_1_tlsStartsOnPort0AndAnswersASignedRequest() throws Exception {
        TestPki pki = TestPki.create();
        TestPki.ServerPem pem = pki.writeServerPem(dir);
        URI url = start("--tls-cert", pem.cert().toString(), "--tls-key", pem.key().toString());
        assertThat(url.getScheme()).isEqualTo("https");
        assertEchoed(url, pki.clientContext());
    }

    /** Runs the command in a thread and returns the URL it prints. */
    private URI start(String... transport) throws Exception {
        List<String> args = new ArrayList<>(List.of("--trust", "example.org=" + jwksFile()));
        args.addAll(List.of(transport));
        return startWith(args);
    }

    /** Runs {@code demo-service --base-uri BASE --port 0 <args>} in a thread and returns the URL it prints. */
    private URI startWith(List<String> more) throws Exception {
        List<String> args = new ArrayList<>(List.of("demo-service", "--base-uri", BASE, "--port", "0"));
        args.addAll(more);
        running = RunningDemoService.start(args);
        assertThat(running.out.toString()).contains("external base URI " + BASE);
        return running.url;
    }

    @Test
    void ID_3_trustsAnIdentityServersPublishedJwksOverHttps() throws Exception {
        ServerConfig config = ServerConfig.builder("example.org").port(0).stateDir(dir.resolve("identity-server")).build();
        try (IdentityServer server = IdentityServer.builder(config).build().start()) {
            SSLContext ca = TlsTrust.fromCaPem(server.caCertFile());
            String id = "wimse://example.org/from-the-server";
            String adminToken = Files.readString(server.adminTokenFile()).trim();
            HttpClient admin = HttpClient.newBuilder().sslContext(ca).build();
            HttpResponse<String> reg = admin.send(adminPost(server, adminToken, "/admin/v1/registrations",
                    "{\"id\":\"" + id + "\",\"attestation\":[\"join_token\"]}"), HttpResponse.BodyHandlers.ofString());
            assertThat(reg.statusCode()).as(reg.body()).isEqualTo(201);
            HttpResponse<String> minted = admin.send(adminPost(server, adminToken, "/admin/v1/join-tokens",
                    "{\"id\":\"" + id + "\"}"), HttpResponse.BodyHandlers.ofString());
            assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
            String joinToken = new ObjectMapper().readTree(minted.body()).get("token").asText();

            URI url = startWith(List.of("--trust", "example.org=" + server.baseUri() + "/.well-known/jwks.json",
                    "--trust-ca", server.caCertFile().toString(), "--trust", "other.example=" + jwksFile(), "--insecure-http"));
            try (IdentityServerCredentialSource source = IdentityServerCredentialSource
                    .builder(server.baseUri(), InitialAttestation.joinToken(joinToken)).sslContext(ca).build()) {
                RequestSigner signer = RequestSigner.builder().credentials(source).audience(u -> BASE + u.getRawPath()).build();
                HttpResponse<String> r = HttpClient.newHttpClient().send(signedEcho(signer, url), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(new ObjectMapper().readTree(r.body()).get("workload").asText()).isEqualTo(id);
            }
            // a second trust domain from a JWKS file, next to the fetched one
            RequestSigner fileTrusted = fixedSigner("wimse://other.example/file-trusted");
            HttpResponse<String> r = HttpClient.newHttpClient().send(signedEcho(fileTrusted, url), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(r.body()).get("workload").asText()).isEqualTo("wimse://other.example/file-trusted");
        }
    }

    @Test
    void SEC_4_withRedisAReplayIsRefusedAndTheProofIsRecordedInRedis() throws Exception {
        try (io.wimse4j.redis.RedisServerProcess redis = io.wimse4j.redis.RedisServerProcess.start()) {
            URI url = startWith(List.of("--trust", "example.org=" + jwksFile(), "--redis", redis.uri(), "--insecure-http"));
            HttpRequest request = signedEcho(fixedSigner("wimse://example.org/cli-caller"), url);
            HttpClient http = HttpClient.newHttpClient();
            assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            HttpResponse<String> replay = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(replay.statusCode()).isEqualTo(400);
            assertThat(new ObjectMapper().readTree(replay.body()).get("code").asText()).isEqualTo(Reason.REPLAY.code());
            io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
            try (var connection = client.connect()) {
                assertThat(connection.sync().keys("wimse:replay:*")).as("the proof and its sender's count are recorded in Redis").hasSize(2);
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void SEC_1_aJwksUrlMustBeHttpsAndTrustCaNeedsOne() throws Exception {
        assertUsage(Cli.run("demo-service", "--trust", "example.org=http://localhost:8443/.well-known/jwks.json",
                "--base-uri", BASE, "--insecure-http"), "a JWKS URL must be https (SEC-1)");
        assertUsage(Cli.run("demo-service", "--trust", "example.org=" + jwksFile(), "--trust-ca", jwksFile(),
                "--base-uri", BASE, "--insecure-http"), "--trust-ca applies to https JWKS URLs");
        assertUsage(Cli.run("demo-service", "--trust", "example.org=" + jwksFile(), "--trust", "example.org=" + jwksFile(),
                "--base-uri", BASE, "--insecure-http"), "trust domain example.org is given twice");
    }

    private static HttpRequest adminPost(IdentityServer server, String token, String path, String json) {
        return HttpRequest.newBuilder(server.baseUri().resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    /** A signer with a fixed WIT for {@code id}, issued by the test issuer key, proofs addressed to {@code BASE}. */
    private RequestSigner fixedSigner(String id) throws Exception {
        WorkloadIdentifier workload = WorkloadIdentifier.parse(id);
        String wit = WitIssuer.builder().signer(issuerKey.signer()).trustDomain(workload.trustDomain()).build()
                .issue(workload, workloadKey.publicJwk()).token();
        return RequestSigner.builder()
                .credentials(CredentialSource.fixed(WorkloadCredentials.of(wit, workloadKey.signer())))
                .audience(u -> BASE + u.getRawPath()).build();
    }

    /** {@code GET <url>/echo} carrying a WIT and a fresh proof from {@code signer}. */
    private static HttpRequest signedEcho(RequestSigner signer, URI url) throws Exception {
        URI target = url.resolve("/echo");
        RequestSigner.SignedHeaders h = signer.sign("GET", target, java.util.Map.of());
        return HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                .header("Workload-Identity-Token", h.workloadIdentityToken())
                .header("Workload-Proof-Token", h.workloadProofToken()).GET().build();
    }

    private void assertEchoed(URI url, SSLContext tls) throws Exception {
        HttpClient.Builder cb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            cb.sslContext(tls);
        }
        HttpResponse<String> r = cb.build().send(signedEcho(fixedSigner("wimse://example.org/cli-caller"), url),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode echo = new ObjectMapper().readTree(r.body());
        assertThat(echo.get("workload").asText()).isEqualTo("wimse://example.org/cli-caller");
        assertThat(echo.get("trust_domain").asText()).isEqualTo("example.org");
        assertThat(echo.get("path").asText()).isEqualTo("/echo");
    }
}
