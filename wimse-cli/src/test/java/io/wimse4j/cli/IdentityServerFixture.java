package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.client.TlsTrust;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WorkloadCredentials;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real {@code wimse server} (its own CA, loopback, an ephemeral port) for the agent tests, with the admin
 * calls they need: register, join tokens, the JWKS, and a check that a WPT made from credentials verifies.
 */
final class IdentityServerFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    final Path state;
    final RunningServer server;
    final String url;
    /** The server's base URI as it names itself (https://localhost:port): issuance proofs are addressed to it. */
    final String baseUri;

    IdentityServerFixture(Path state, String... extra) throws InterruptedException {
        this.state = state;
        this.server = RunningServer.startedOn(state, extra);
        this.url = server.url;
        this.baseUri = url.replace("://127.0.0.1:", "://localhost:");
    }

    Path ca() {
        return state.resolve("ca.pem");
    }

    Cli.Result admin(String... args) {
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        all.addAll(List.of("--server", url, "--admin-token-file", state.resolve("admin-token").toString(), "--ca", ca().toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    /** Registers {@code id} for {@code methods} with WITs of {@code witTtlSeconds}. */
    void register(String id, long witTtlSeconds, String methods) {
        Cli.Result r = admin("register", "--id", id, "--attestation", methods, "--wit-ttl", Long.toString(witTtlSeconds));
        assertThat(r.exit()).as(r.err()).isZero();
    }

    /** A fresh join token for {@code id}, written to a file (the way an operator hands it over). */
    Path joinTokenFile(String id, Path dir) throws IOException {
        Cli.Result token = admin("join-token", "--id", id, "--ttl", "120");
        assertThat(token.exit()).as(token.err()).isZero();
        Path file = Files.createTempFile(dir, "join-token", ".txt");
        Files.writeString(file, JSON.readTree(token.out()).get("token").textValue());
        return file;
    }

    /** Verifies a WPT made from {@code credentials} with a {@link RequestVerifier} trusting the served JWKS. */
    VerifiedCaller verifyRequestSignedWith(WorkloadCredentials credentials) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(TlsTrust.fromCaPem(ca())).build();
        String jwks = http.send(HttpRequest.newBuilder(URI.create(url + "/.well-known/jwks.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        RequestVerifier verifier = RequestVerifier.builder()
                .trust(TrustBundleSet.of(TrustBundle.fromJwks(new TrustDomain("example.org"), jwks))).build();
        URI target = URI.create("https://svc-b.example.org/orders");
        RequestSigner.SignedHeaders signed = RequestSigner.builder().credentials(CredentialSource.fixed(credentials)).build()
                .sign("GET", target, Map.of());
        HttpRequestFacts.Builder facts = HttpRequestFacts.builder("GET", target);
        signed.asMap().forEach(facts::header);
        return verifier.verify(facts.build());
    }

    /** The claims of a compact JWT, unverified (tests only look at {@code jti} and {@code cnf}). */
    static JsonNode claims(String jwt) throws IOException {
        String[] parts = jwt.strip().split("\\.");
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    void stop() throws InterruptedException {
        server.stop();
    }
}
