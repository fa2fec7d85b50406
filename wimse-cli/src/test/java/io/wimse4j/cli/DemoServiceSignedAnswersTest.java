package io.wimse4j.cli;

import io.wimse4j.client.SigningHttpClient;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wimse demo-service --sign-wit --sign-key}: the running command accepts a request signed with an
 * HTTP Message Signature and signs its answer with its own WIT (HS-6), which the client verifies;
 * without the signing pair a request asking for a signed answer gets 501; a bad pair is a usage error.
 */
class DemoServiceSignedAnswersTest {
    private static final String BASE = "https://echo.example.org";

    @TempDir
    Path dir;

    private final WorkloadKeyPair issuerKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    private final WitIssuer issuer = WitIssuer.builder().signer(issuerKey.signer()).trustDomain(new TrustDomain("example.org")).build();
    private RunningDemoService running;

    @AfterEach
    void stop() throws Exception {
        if (running != null) {
            running.stop();
        }
    }

    @Test
    void HS_6_withItsOwnWitTheServiceSignsItsAnswersAndTheClientVerifiesThem() throws Exception {
        WorkloadKeyPair serviceKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        Path wit = Files.writeString(dir.resolve("service.wit"), issuer.issue(WorkloadIdentifier.parse("wimse://example.org/echo"),
                serviceKey.publicJwk()).token());
        Path key = dir.resolve("service.jwk");
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, serviceKey.privateJwkJson());
        URI url = start("--sign-wit", wit.toString(), "--sign-key", key.toString());
        HttpResponse<String> r = client(true).send(HttpRequest.newBuilder(url.resolve("/echo")).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"workload\":\"wimse://example.org/caller\"");
        assertThat(r.headers().firstValue("Signature-Input")).hasValueSatisfying(v -> assertThat(v).contains("wimse-req-nonce="));
    }

    @Test
    void HS_6_withoutItsOwnWitARequestAskingForASignedAnswerGets501() throws Exception {
        URI url = start();
        HttpSignatureSigner signer = signer(true);
        var facts = io.wimse4j.core.request.HttpRequestFacts.builder("GET", URI.create(BASE + "/echo")).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(url.resolve("/echo")).timeout(Duration.ofSeconds(10)).GET();
        signer.signRequest(facts, null).headers().forEach(b::header);
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(r.body()).contains("\"code\":\"" + Reason.SIGNED_RESPONSE_UNAVAILABLE.code() + "\"");
    }

    @Test
    void aSigningWitWithoutItsKeyOrAMismatchedPairIsAUsageError() throws Exception {
        WorkloadKeyPair serviceKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        Path wit = Files.writeString(dir.resolve("w"), issuer.issue(WorkloadIdentifier.parse("wimse://example.org/echo"),
                serviceKey.publicJwk()).token());
        Cli.Result alone = Cli.run("demo-service", "--base-uri", BASE, "--port", "0", "--insecure-http", "--trust",
                "example.org=" + jwks(), "--sign-wit", wit.toString());
        assertThat(alone.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(alone.err()).contains("--sign-wit and --sign-key go together");
        Path otherKey = dir.resolve("other.jwk");
        Files.createFile(otherKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(otherKey, WorkloadKeyPair.generate(JwsAlgorithm.ES256).privateJwkJson());
        Cli.Result mismatched = Cli.run("demo-service", "--base-uri", BASE, "--port", "0", "--insecure-http", "--trust",
                "example.org=" + jwks(), "--sign-wit", wit.toString(), "--sign-key", otherKey.toString());
        assertThat(mismatched.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(mismatched.err()).contains("--sign-wit/--sign-key: " + Reason.INVALID_KEY.code());
    }

    private HttpSignatureSigner signer(boolean askSigned) throws Exception {
        WorkloadKeyPair callerKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String wit = issuer.issue(WorkloadIdentifier.parse("wimse://example.org/caller"), callerKey.publicJwk()).token();
        return HttpSignatureSigner.builder(CredentialSource.fixed(WorkloadCredentials.of(wit, callerKey.signer())))
                .audience(u -> BASE + u.getRawPath()).requestSignedResponses(askSigned).build();
    }

    private SigningHttpClient client(boolean askSigned) throws Exception {
        TrustBundleSet trust = TrustBundleSet.of(TrustBundle.fromJwks(new TrustDomain("example.org"),
                "{\"keys\":[" + issuerKey.publicJwk().toJson() + "]}"));
        return SigningHttpClient.builder().httpClient(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build())
                .allowInsecureHttp(true).httpSignatures(signer(askSigned), HttpSignatureVerifier.builder().trust(trust).build()).build();
    }

    private String jwks() throws Exception {
        Path f = dir.resolve("issuer.jwks.json");
        Files.writeString(f, "{\"keys\":[" + issuerKey.publicJwk().toJson() + "]}");
        return f.toString();
    }

    private URI start(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("demo-service", "--base-uri", BASE, "--port", "0", "--insecure-http",
                "--trust", "example.org=" + jwks()));
        args.addAll(List.of(more));
        running = RunningDemoService.start(args);
        return running.url;
    }
}
