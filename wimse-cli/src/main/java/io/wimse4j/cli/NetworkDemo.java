package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.client.HttpJwksTrustBundleSource;
import io.wimse4j.client.IdentityServerCredentialSource;
import io.wimse4j.client.InitialAttestation;
import io.wimse4j.client.SigningHttpClient;
import io.wimse4j.client.TlsTrust;
import io.wimse4j.client.WimseResponseException;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WimseHeaders;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.demo.DemoService;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.httpsig.RequestSignature;
import io.wimse4j.server.IdentityServer;
import io.wimse4j.server.ServerConfig;
import io.wimse4j.server.internal.StateDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code wimse demo}: the whole flow over real sockets, in plain words. An Identity Server (HTTPS,
 * its own CA) registers two workloads and mints a join token; service-b runs the demo service
 * behind the WIMSE filter, trusting the server's published JWKS; service-a trades the join token for
 * a WIT (with a fresh key, KEY-4) and calls service-b. Then a replayed request (V-9), a stolen WIT
 * with a proof from another key (V-4/V-8 via the {@code cnf} key) and a WIT from a forged issuer
 * key (ID-3) are each rejected with their problem code. Last, service-a signs a request with an HTTP Message
 * Signature and verifies service-b's signed answer (HS-6), and a request whose body was changed is
 * refused (HS-5). Everything lives in an owner-only temporary
 * directory, removed at the end. No token or key is printed.
 */
final class NetworkDemo {
    static final String TRUST_DOMAIN = "demo.example";
    static final String SERVICE_A = "wimse://demo.example/service-a";
    static final String SERVICE_B = "wimse://demo.example/service-b";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final PrintWriter out;
    private int step;
    private int failures;

    NetworkDemo(PrintWriter out) {
        this.out = out;
    }

    /** Runs the demo; the number of steps that did not behave as expected (0 = success). */
    int run() throws Exception {
        Path root = Files.createTempDirectory("wimse-demo", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        try {
            ServerConfig config = ServerConfig.builder(TRUST_DOMAIN).port(0).stateDir(root.resolve("identity-server")).build();
            try (IdentityServer server = IdentityServer.builder(config).build().start()) {
                runWith(server, root);
            }
        } finally {
            deleteTree(root);
        }
        out.println();
        out.println(failures == 0 ? "All steps behaved as expected." : failures + " step(s) did NOT behave as expected.");
        out.flush();
        return failures;
    }

    private void runWith(IdentityServer server, Path root) throws Exception {
        SSLContext serverCa = TlsTrust.fromCaPem(server.caCertFile());
        URI idServer = server.baseUri();
        step("An Identity Server for trust domain '" + TRUST_DOMAIN + "' is running at " + idServer + ".");
        say("It created its own CA for HTTPS and an ES256 signing key, published at " + idServer.resolve("/.well-known/jwks.json") + ".");

        HttpClient adminHttp = HttpClient.newBuilder().sslContext(serverCa).followRedirects(HttpClient.Redirect.NEVER).build();
        String adminToken = Files.readString(server.adminTokenFile()).trim();
        for (String id : new String[]{SERVICE_A, SERVICE_B}) {
            ObjectNode reg = StrictJson.mapper().createObjectNode().put("id", id).put("wit_ttl_seconds", 3600);
            reg.putArray("attestation").add("join_token").add("wit");
            expectStatus(admin(adminHttp, idServer, adminToken, "/admin/v1/registrations", reg), 201, "register " + id);
        }
        ObjectNode mint = StrictJson.mapper().createObjectNode().put("id", SERVICE_A).put("ttl_seconds", 600);
        HttpResponse<String> minted = admin(adminHttp, idServer, adminToken, "/admin/v1/join-tokens", mint);
        expectStatus(minted, 201, "mint a join token");
        String joinToken = StrictJson.mapper().readTree(minted.body()).path("token").asText();
        ObjectNode mintB = StrictJson.mapper().createObjectNode().put("id", SERVICE_B).put("ttl_seconds", 600);
        HttpResponse<String> mintedB = admin(adminHttp, idServer, adminToken, "/admin/v1/join-tokens", mintB);
        expectStatus(mintedB, 201, "mint a join token for service-b");
        String joinTokenB = StrictJson.mapper().readTree(mintedB.body()).path("token").asText();
        step("The operator registers " + SERVICE_A + " and " + SERVICE_B + " and mints a one-time join token for each"
                + " (admin API, with the admin token from the server's state directory).");

        StateDir serviceDir = StateDir.open(root.resolve("service-b"));
        DemoTls tls = DemoTls.create(serviceDir);
        int port = freePort();
        URI serviceB = URI.create("https://localhost:" + port);
        try (HttpJwksTrustBundleSource trust = HttpJwksTrustBundleSource.builder()
                .trustDomain(TrustDomain.parse(TRUST_DOMAIN), idServer.resolve("/.well-known/jwks.json"))
                .sslContext(serverCa).build();
             IdentityServerCredentialSource serviceBCredentials = IdentityServerCredentialSource
                     .builder(idServer, InitialAttestation.joinToken(joinTokenB)).sslContext(serverCa).build();
             DemoService service = DemoService.builder().trust(trust).externalBaseUri(serviceB).port(port)
                     .tls(tls.certFile(), tls.keyFile()).responseCredentials(serviceBCredentials).build().start();
             IdentityServerCredentialSource credentials = IdentityServerCredentialSource
                     .builder(idServer, InitialAttestation.joinToken(joinToken)).sslContext(serverCa).build()) {
            step("service-b starts at " + serviceB + ". It trusts the keys of '" + TRUST_DOMAIN
                    + "' from the Identity Server's JWKS and checks every request with the WIMSE filter;"
                    + " with its own WIT from the Identity Server it signs its answers to signed requests.");
            callAsServiceA(credentials, tls.clientContext(), serviceB);
            signAsServiceA(credentials, trust, tls.clientContext(), serviceB);
        }
    }

    private void callAsServiceA(IdentityServerCredentialSource credentials, SSLContext serviceTls, URI serviceB) throws Exception {
        WorkloadCredentials creds = credentials.current();
        step("service-a generates a fresh key pair and trades the join token, with a proof that it holds the key, for a WIT.");
        say("Its WIT names " + creds.subject() + " and is valid until " + creds.expiresAt() + ". The join token is now used up.");

        HttpClient http = HttpClient.newBuilder().sslContext(serviceTls).followRedirects(HttpClient.Redirect.NEVER).build();
        RequestSigner signer = RequestSigner.builder().credentials(credentials).build();
        SigningHttpClient client = SigningHttpClient.builder().httpClient(http).signer(signer).build();
        URI echo = serviceB.resolve(DemoService.ECHO_PATH);
        step("service-a calls GET /echo on service-b with its WIT and a proof (WPT) made for this one request,"
                + " sent as 'Authorization: WPT <wpt>' (draft-ietf-wimse-wpt-02).");
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(echo).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.statusCode() == 200 ? StrictJson.mapper().readTree(r.body()) : null;
        if (body != null && SERVICE_A.equals(body.path("workload").asText())) {
            say("ACCEPTED: service-b answered 200 and knows its caller is " + body.path("workload").asText()
                    + " (trust domain " + body.path("trust_domain").asText() + ").");
        } else {
            fail("expected 200 naming " + SERVICE_A + ", got " + r.statusCode());
        }

        step("A peer that speaks only the seed drafts sends its proof in a Workload-Proof-Token header instead: service-b serves both.");
        RequestSigner seedSigner = RequestSigner.builder().transport(WptTransport.WORKLOAD_PROOF_TOKEN).credentials(credentials).build();
        HttpResponse<String> seedReply = sendWith(http, echo, seedSigner.sign("GET", echo, Map.of()).asMap());
        expectStatus(seedReply, 200, "the seed-transport request");
        if (seedReply.statusCode() == 200) {
            say("ACCEPTED: service-b answered 200 to the Workload-Proof-Token request too.");
        }

        step("An eavesdropper captures another request of service-a on the way and sends it again, word for word.");
        RequestSigner.SignedHeaders captured = signer.sign("GET", echo, Map.of());
        HttpResponse<String> original = sendWith(http, echo, captured.asMap());
        expectStatus(original, 200, "service-a's own request");
        say("service-a's own request got " + original.statusCode() + "; the copy:");
        expectProblem(sendWith(http, echo, captured.asMap()), "replay");

        step("An attacker who stole service-a's WIT, but not its private key, signs a proof with a key of its own.");
        WorkloadKeyPair thief = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        expectProblem(sendWith(http, echo, Map.of(WimseHeaders.WORKLOAD_IDENTITY_TOKEN, creds.wit(),
                WimseHeaders.AUTHORIZATION, WptTransport.AUTHORIZATION.headerValue(proofSignedBy(thief, creds.wit(), echo)))),
                "bad-signature");

        step("An attacker forges a WIT for service-a, signed by an issuer key it made itself.");
        WorkloadKeyPair fakeIssuer = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        WorkloadKeyPair fakeWorkload = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String forgedWit = WitIssuer.builder().signer(fakeIssuer.signer()).trustDomain(TrustDomain.parse(TRUST_DOMAIN))
                .build().issue(WorkloadIdentifier.parse(SERVICE_A), fakeWorkload.publicJwk()).token();
        RequestSigner forger = RequestSigner.builder()
                .credentials(CredentialSource.fixed(WorkloadCredentials.of(forgedWit, fakeWorkload.signer()))).build();
        RequestSigner.SignedHeaders forged = forger.sign("GET", echo, Map.of());
        expectProblem(sendWith(http, echo, forged.asMap()), "unknown-key");
    }

    /** HTTP Message Signatures (draft-ietf-wimse-http-signature): a signed request, a signed answer, a tampered body. */
    private void signAsServiceA(IdentityServerCredentialSource credentials, HttpJwksTrustBundleSource trust, SSLContext serviceTls,
                                URI serviceB) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(serviceTls).followRedirects(HttpClient.Redirect.NEVER).build();
        HttpSignatureSigner signer = HttpSignatureSigner.builder(credentials).requestSignedResponses(true).build();
        SigningHttpClient client = SigningHttpClient.builder().httpClient(http)
                .httpSignatures(signer, HttpSignatureVerifier.builder().trust(trust).build()).build();
        URI echo = serviceB.resolve(DemoService.ECHO_PATH);
        step("service-a sends POST /echo signed with an HTTP Message Signature (RFC 9421) instead of a WPT: it covers the"
                + " method, path, query, the body's Content-Digest and the WIT, and asks for a signed answer.");
        HttpResponse<String> r;
        try {
            r = client.send(HttpRequest.newBuilder(echo).timeout(TIMEOUT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"order\":42}")).build(), HttpResponse.BodyHandlers.ofString());
        } catch (WimseResponseException e) {
            fail("service-b's answer was refused: " + e.reason().code());
            return;
        }
        JsonNode body = r.statusCode() == 200 ? StrictJson.mapper().readTree(r.body()) : null;
        if (body != null && SERVICE_A.equals(body.path("workload").asText()) && r.headers().firstValue("Signature").isPresent()) {
            say("ACCEPTED: service-b answered 200 naming " + body.path("workload").asText() + ", and service-a verified"
                    + " the answer's signature: made with " + SERVICE_B + "'s WIT key and bound to this request (wimse-req-nonce).");
        } else {
            fail("expected a signed 200 naming " + SERVICE_A + ", got " + r.statusCode());
        }

        step("An attacker on the path changes the body of a signed request and forwards it.");
        HttpRequestFacts facts = HttpRequestFacts.builder("POST", echo).header("Content-Type", "application/json").build();
        RequestSignature sig = HttpSignatureSigner.builder(credentials).build()
                .signRequest(facts, "{\"order\":42}".getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder tampered = HttpRequest.newBuilder(echo).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"order\":4200}"));
        sig.headers().forEach(tampered::header);
        HttpResponse<String> refused = http.send(tampered.build(), HttpResponse.BodyHandlers.ofString());
        ProblemDetails p = problem(refused);
        if (refused.statusCode() == 400 && p != null && p.code().equals("content-digest-mismatch")) {
            say("REJECTED: service-b answered 400 with problem code " + p.code() + ": " + p.detail());
        } else {
            fail("expected 400 content-digest-mismatch, got " + refused.statusCode() + " " + (p == null ? "no problem" : p.code()));
        }
    }

    private static ProblemDetails problem(HttpResponse<String> r) {
        if (!r.headers().firstValue("Content-Type").orElse("").startsWith(ProblemDetails.MEDIA_TYPE)) {
            return null;
        }
        try {
            return ProblemDetails.parse(r.body());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String proofSignedBy(WorkloadKeyPair key, String wit, URI audience) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = StrictJson.mapper().createObjectNode().put("aud", audience.toString()).put("iat", now)
                .put("exp", now + 60).put("jti", JwsWriter.randomJwtId()).put("wth", Hashes.tokenHash(wit));
        return JwsWriter.sign(key.signer(), "wpt+jwt", claims);
    }

    private static HttpResponse<String> sendWith(HttpClient http, URI uri, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> admin(HttpClient http, URI server, String token, String path, ObjectNode body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.resolve(path)).timeout(TIMEOUT).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void expectStatus(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) {
            fail(what + ": expected " + status + ", got " + r.statusCode());
        }
    }

    private void expectProblem(HttpResponse<String> r, String code) {
        ProblemDetails p = problem(r);
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        if (r.statusCode() == 401 && challenge.equals(WptTransport.SCHEME) && p != null && p.code().equals(code)) {
            say("REJECTED: service-b answered 401 with 'WWW-Authenticate: " + challenge + "' and problem code "
                    + p.code() + ": " + p.detail());
        } else {
            fail("expected 401 with 'WWW-Authenticate: WPT' and problem " + code + ", got " + r.statusCode()
                    + (challenge.isEmpty() ? "" : " (WWW-Authenticate: " + challenge + ")") + " "
                    + (p == null ? "no problem document" : p.code()));
        }
    }

    private void step(String text) {
        out.println();
        out.println(++step + ". " + text);
    }

    private void say(String text) {
        out.println("   " + text);
    }

    private void fail(String text) {
        failures++;
        out.println("   UNEXPECTED: " + text);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
