package io.wimse4j.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.client.TlsTrust;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.examples.WithIdentityServerExample.Caller;
import io.wimse4j.examples.WithIdentityServerExample.Receiver;
import io.wimse4j.server.IdentityServer;
import io.wimse4j.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The README's "With an Identity Server" examples against two real Identity Servers
 * ({@code wimse-server}, HTTPS with their own CAs, on 127.0.0.1): {@code example.com} and
 * {@code partner.example}. Each calling workload gets its WIT with a join token through
 * {@link WithIdentityServerExample#caller}; the receiver of {@link WithIdentityServerExample#receiver}
 * trusts both domains through their published JWKS.
 */
class WithIdentityServerExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final URI CHARGE = URI.create("https://payments.example.com/charge");

    @TempDir
    Path dir;

    private IdentityServer exampleCom;
    private IdentityServer partner;
    private Path bothCas;

    @BeforeEach
    void startServers() throws Exception {
        exampleCom = IdentityServer.builder(ServerConfig.builder("example.com").port(0)
                .stateDir(dir.resolve("example.com")).build()).build().start();
        partner = IdentityServer.builder(ServerConfig.builder("partner.example").port(0)
                .stateDir(dir.resolve("partner.example")).build()).build().start();
        bothCas = dir.resolve("cas.pem");
        Files.writeString(bothCas, exampleCom.caPem() + "\n" + partner.caPem());
    }

    @AfterEach
    void stopServers() {
        if (exampleCom != null) {
            exampleCom.close();
        }
        if (partner != null) {
            partner.close();
        }
    }

    /** Registers {@code id} for join-token attestation through the admin API and writes a fresh join token to a file. */
    private Path joinTokenFile(IdentityServer server, String id) throws Exception {
        ObjectNode registration = JSON.createObjectNode().put("id", id).put("wit_ttl_seconds", 3600);
        registration.putArray("attestation").add("join_token");
        assertThat(admin(server, "/admin/v1/registrations", registration).statusCode()).isEqualTo(201);
        HttpResponse<String> minted = admin(server, "/admin/v1/join-tokens",
                JSON.createObjectNode().put("id", id).put("ttl_seconds", 600));
        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
        Path file = Files.createTempFile(dir, "join-token", "");
        Files.writeString(file, JSON.readTree(minted.body()).get("token").textValue());
        return file;
    }

    private static HttpResponse<String> admin(IdentityServer server, String path, ObjectNode body) throws Exception {
        String token = Files.readString(server.adminTokenFile()).strip();
        HttpClient http = HttpClient.newBuilder().sslContext(TlsTrust.fromCaPem(server.caCertFile()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(server.baseUri().resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequestFacts signedFacts(RequestSigner signer) throws WimseException {
        // the example's signer sends the wpt-02 transport: the proof in 'Authorization: WPT', no bearer token beside it
        RequestSigner.SignedHeaders h = signer.sign("POST", CHARGE, Map.of("Txn-Token", List.of("txn-token")));
        HttpRequestFacts.Builder facts = HttpRequestFacts.builder("POST", CHARGE).header("Txn-Token", "txn-token");
        h.asMap().forEach(facts::header);
        return facts.build();
    }

    @Test
    void callersOfBothTrustDomainsGetWitsFromTheirServersAndAreVerifiedThroughThePublishedJwks() throws Exception {
        try (Caller orders = WithIdentityServerExample.caller(exampleCom.baseUri(), exampleCom.caCertFile(),
                     joinTokenFile(exampleCom, "wimse://example.com/orders"));
             Caller billing = WithIdentityServerExample.caller(partner.baseUri(), partner.caCertFile(),
                     joinTokenFile(partner, "wimse://partner.example/billing"));
             Receiver receiver = WithIdentityServerExample.receiver(exampleCom.baseUri(), partner.baseUri(),
                     TlsTrust.fromCaPem(bothCas))) {
            assertThat(receiver.trust().awaitInitialLoad(Duration.ofSeconds(20))).as("both JWKS fetched").isTrue();

            VerifiedCaller fromOrders = receiver.verifier().verify(signedFacts(orders.signer()));
            assertThat(fromOrders.workload().value()).isEqualTo("wimse://example.com/orders");
            assertThat(fromOrders.wit().issuer()).hasValue(exampleCom.baseUri().toString());
            assertThat(fromOrders.txnTokenBound()).isTrue();
            assertThat(fromOrders.transport()).isEqualTo(io.wimse4j.core.wpt.WptTransport.AUTHORIZATION);

            VerifiedCaller fromBilling = receiver.verifier().verify(signedFacts(billing.signer()));
            assertThat(fromBilling.workload().value()).isEqualTo("wimse://partner.example/billing");
            assertThat(fromBilling.trustDomain().name()).isEqualTo("partner.example");

            // the credentials came from the servers: the WIT carries the key the source generated (KEY-4)
            assertThat(orders.credentials().current().subject().value()).isEqualTo("wimse://example.com/orders");
        }
    }

    @Test
    void aReceiverThatDoesNotTrustAServersCaGetsNoKeysFromItAndFailsClosed() throws Exception {
        SSLContext onlyExampleCom = TlsTrust.fromCaPem(exampleCom.caCertFile());
        try (Caller billing = WithIdentityServerExample.caller(partner.baseUri(), partner.caCertFile(),
                     joinTokenFile(partner, "wimse://partner.example/billing"));
             Receiver receiver = WithIdentityServerExample.receiver(exampleCom.baseUri(), partner.baseUri(), onlyExampleCom)) {
            receiver.trust().awaitInitialLoad(Duration.ofSeconds(5));
            HttpRequestFacts facts = signedFacts(billing.signer());
            WimseException e = catchThrowableOfType(WimseException.class, () -> receiver.verifier().verify(facts));
            assertThat(e).as("partner.example's JWKS cannot be fetched over TLS it cannot authenticate (SEC-1)").isNotNull();
            assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_TRUST_DOMAIN);
        }
    }

    @Test
    void aJoinTokenIsUsedOnceAndACallerWithoutCredentialsCannotSign() throws Exception {
        Path token = joinTokenFile(exampleCom, "wimse://example.com/orders");
        try (Caller first = WithIdentityServerExample.caller(exampleCom.baseUri(), exampleCom.caCertFile(), token)) {
            assertThat(first.credentials().current().subject().value()).isEqualTo("wimse://example.com/orders");
        }
        try (Caller second = WithIdentityServerExample.caller(exampleCom.baseUri(), exampleCom.caCertFile(), token)) {
            WimseException e = catchThrowableOfType(WimseException.class, () -> signedFacts(second.signer()));
            assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS_EXPIRED);
        }
    }
}
