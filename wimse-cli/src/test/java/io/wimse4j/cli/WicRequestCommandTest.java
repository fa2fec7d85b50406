package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.IssuedWic;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.VerifiedWic;
import io.wimse4j.x509.WicGrant;
import io.wimse4j.x509.WicIssuer;
import io.wimse4j.x509.WicUsage;
import io.wimse4j.x509.WicValidator;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import io.wimse4j.x509.tls.WicKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wimse wic request} against a small local HTTPS stub of {@code POST /v1/wic} (JDK {@link HttpsServer},
 * a {@link HeldCertificate} server certificate) that issues with a {@link WicIssuer} after checking the join
 * token: the contract of the Identity Server's endpoint as announced, not the real server.
 */
class WicRequestCommandTest {
    static final TrustDomain TD = new TrustDomain("example.org");
    static final String ID = "wimse://example.org/svc/a";
    static final String JOIN_TOKEN = "jt-0123456789abcdef-secret";
    static final HeldCertificate TLS_CA = HeldCertificate.builder().commonName("stub TLS CA").certificateAuthority(0).build();
    static final HeldCertificate TLS = HeldCertificate.builder().dnsName("localhost").ipAddress("127.0.0.1")
            .usages(WicUsage.SERVER).signedBy(TLS_CA).build();
    static final HeldCertificate WIC_CA = HeldCertificate.builder().commonName("example.org workload CA").certificateAuthority(0).build();

    @TempDir
    Path dir;

    private HttpsServer stub;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    /** When set, the stub certifies this key instead of the CSR's (a broken server). */
    private volatile boolean otherKey;

    @BeforeEach
    void startStub() throws Exception {
        WicIssuer issuer = WicIssuer.builder(WIC_CA.asCertificateAuthority(TD)).build();
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(new KeyManager[] {WicKeyManager.of(TLS.keyPair().getPrivate(), TLS.chain(), Clock.systemUTC())}, null, null);
        stub = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.setHttpsConfigurator(new HttpsConfigurator(tls));
        stub.createContext("/v1/wic", ex -> {
            try {
                JsonNode body = new ObjectMapper().readTree(ex.getRequestBody().readNBytes(64 * 1024));
                received.add(body);
                if (!"POST".equals(ex.getRequestMethod()) || !body.path("attestation").path("method").asText().equals("join_token")) {
                    answer(ex, 400, "{\"code\":\"malformed-request\",\"detail\":\"no join_token attestation\"}");
                } else if (!body.path("attestation").path("token").asText().equals(JOIN_TOKEN)) {
                    answer(ex, 400, "{\"code\":\"join-token-invalid\",\"detail\":\"the join token is unknown, used or expired\"}");
                } else {
                    byte[] csr = body.path("csr").asText().getBytes(StandardCharsets.US_ASCII);
                    if (otherKey) {
                        csr = io.wimse4j.x509.CertificateRequests.create(io.wimse4j.x509.KeyType.EC_P256.generate(),
                                WorkloadIdentifier.parse(ID), List.of());
                    }
                    IssuedWic wic = issuer.issue(csr, WicGrant.builder(WorkloadIdentifier.parse(ID)).dnsNames(List.of("a.example.org"))
                            .usages(Set.of(WicUsage.CLIENT, WicUsage.SERVER)).build());
                    answer(ex, 200, new ObjectMapper().createObjectNode().put("certificate_chain", wic.chainPem())
                            .put("expires_at", wic.notAfter().getEpochSecond()).toString());
                }
            } catch (WimseException e) { // the issuer's refusal, as the server's problem code
                answer(ex, 400, new ObjectMapper().createObjectNode().put("code", e.reason().code()).put("detail", e.detail()).toString());
            }
        });
        stub.start();
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @AfterEach
    void stopStub() {
        stub.stop(0);
    }

    private String server() {
        return "https://127.0.0.1:" + stub.getAddress().getPort();
    }

    private Cli.Result request(String... more) throws Exception {
        return requestFor(ID, more);
    }

    private Cli.Result requestFor(String id, String... more) throws Exception {
        Path ca = dir.resolve("tls-ca.pem");
        Files.writeString(ca, TLS_CA.certificatePem());
        List<String> args = new java.util.ArrayList<>(List.of("wic", "request", "--server", server(), "--server-ca", ca.toString(),
                "--id", id, "--out-cert", dir.resolve("wic.pem").toString(), "--out-key", dir.resolve("wic.key.pem").toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void KEY_1_aRequestedWicIsWrittenWithAnOwnerOnlyKeyAndValidates() throws Exception {
        Files.writeString(dir.resolve("join-token"), JOIN_TOKEN + "\n");
        Cli.Result r = request("--join-token", "@" + dir.resolve("join-token"), "--dns", "a.example.org");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("issued " + ID + " (serial ").contains("key (rw-------) in " + dir.resolve("wic.key.pem"))
                .doesNotContain(JOIN_TOKEN).doesNotContain("PRIVATE KEY");
        assertThat(r.err()).isEmpty();

        JsonNode sent = received.get(0);
        assertThat(sent.get("csr").asText()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        assertThat(sent.get("attestation").get("token").asText()).isEqualTo(JOIN_TOKEN);

        Path key = dir.resolve("wic.key.pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        PrivateKey priv = Pem.readPrivateKey(key);
        VerifiedWic wic = WicValidator.builder().trust(X509TrustSource.of(X509TrustBundle.of(TD, List.of(WIC_CA.certificate()))))
                .forClients().build().validate(Pem.readCertificates(dir.resolve("wic.pem")));
        assertThat(wic.identifier().value()).isEqualTo(ID);
        assertThat(wic.dnsNames()).containsExactly("a.example.org");
        assertThat(wic.chain()).hasSize(2);
        java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
        signer.initSign(priv);
        signer.update(new byte[] {1, 2, 3});
        java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(wic.leaf().getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signer.sign())).as("the key written is the leaf's").isTrue();

        // KEY-4: a second request makes a new key
        Cli.Result again = request("--join-token", JOIN_TOKEN, "--force");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(Pem.readCertificates(dir.resolve("wic.pem")).get(0).getPublicKey()).isNotEqualTo(wic.leaf().getPublicKey());
    }

    @Test
    void KEY_1_aRefusedJoinTokenIsExit1AndWritesNothing() throws Exception {
        Cli.Result r = request("--join-token", "jt-wrong");
        assertThat(r.exit()).isEqualTo(WimseCli.REJECTED);
        assertThat(r.err()).isEqualTo("wimse wic request: HTTP 400 join-token-invalid: the join token is unknown, used or expired" + Cli.NL);
        assertThat(r.err()).doesNotContain("jt-wrong");
        assertThat(dir.resolve("wic.pem")).doesNotExist();
        assertThat(dir.resolve("wic.key.pem")).doesNotExist();
    }

    @Test
    void WIC_2_aCsrAskingForAnotherIdentifierIsRefusedByTheIssuer() throws Exception {
        Cli.Result r = requestFor("wimse://example.org/svc/b", "--join-token", JOIN_TOKEN);
        assertThat(r.exit()).as(r.err()).isEqualTo(WimseCli.REJECTED);
        assertThat(r.err()).startsWith("wimse wic request: HTTP 400 invalid-identifier: ");
    }

    @Test
    void KEY_4_aChainForAnotherKeyIsRefusedAndNothingWritten() throws Exception {
        otherKey = true;
        Cli.Result r = request("--join-token", JOIN_TOKEN);
        assertThat(r.exit()).isEqualTo(WimseCli.REJECTED);
        assertThat(r.err()).isEqualTo("wimse wic request: the server's certificate does not certify the key just generated" + Cli.NL);
        assertThat(dir.resolve("wic.key.pem")).doesNotExist();
    }

    @Test
    void SEC_1_theServerMustBeHttpsAndTrusted() throws Exception {
        Cli.Result r = Cli.run("wic", "request", "--server", "http://127.0.0.1:1", "--id", ID, "--join-token", JOIN_TOKEN,
                "--out-cert", dir.resolve("c.pem").toString(), "--out-key", dir.resolve("k.pem").toString());
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains("--server must be an https URI (SEC-1: the join token travels only over TLS)");
        // without --server-ca the JDK's trust store does not know the stub's CA
        r = Cli.run("wic", "request", "--server", server(), "--id", ID, "--join-token", JOIN_TOKEN,
                "--out-cert", dir.resolve("c.pem").toString(), "--out-key", dir.resolve("k.pem").toString());
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).startsWith("wimse wic request: cannot reach " + server() + ": TLS handshake failed: ")
                .contains("unable to find valid certification path");
        assertThat(received).isEmpty();
    }

    @Test
    void existingFilesAndBadIdentifiersAreUsageErrors() throws Exception {
        Files.writeString(dir.resolve("wic.pem"), "old");
        Cli.Result r = request("--join-token", JOIN_TOKEN);
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).contains(dir.resolve("wic.pem") + " exists; use --force to overwrite it");
        r = requestFor("https://example.org/a", "--join-token", JOIN_TOKEN, "--force");
        assertThat(r.exit()).isEqualTo(WimseCli.USAGE);
        assertThat(r.err()).startsWith("wimse wic request: --id: ");
        assertThat(received).isEmpty();
    }
}
