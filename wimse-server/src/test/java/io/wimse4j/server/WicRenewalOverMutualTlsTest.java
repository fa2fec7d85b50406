package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.server.internal.ServerTls;
import io.wimse4j.server.testing.ServerHarness;
import io.wimse4j.x509.HeldCertificate;
import io.wimse4j.x509.KeyType;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.WicUsage;
import io.wimse4j.x509.tls.WicKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.WicIssuanceTest.body;
import static io.wimse4j.server.WicIssuanceTest.joinToken;
import static io.wimse4j.server.WicIssuanceTest.pemCsr;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renewal of a WIC (and issuance of a WIT) with the current WIC over mutual TLS: the {@code wic}
 * attestation method, over real HTTPS handshakes in which the client presents its certificate.
 */
class WicRenewalOverMutualTlsTest {
    static final String SVC = "wimse://example.org/svc";
    static final String NO_WIC = "wimse://example.org/no-wic";
    static final String WIC = "{\"method\":\"wic\"}";
    /** The harness's publish-ahead (the JWKS max-age, 300 s). */
    static final Duration AHEAD = Duration.ofSeconds(300);

    @TempDir
    Path tmp;
    ServerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
        h.register(SVC, "\"join_token\",\"wic\"", null);
        h.register(NO_WIC, "\"join_token\"", null);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** A WIC for {@code id} with a fresh key, by join token (no client certificate). */
    record Held(KeyPair keys, List<X509Certificate> chain) {
    }

    Held firstWic(String id) throws Exception {
        KeyPair keys = KeyType.EC_P256.generate();
        HttpResponse<String> r = h.post("/v1/wic", "application/json", body(pemCsr(keys, id, List.of()), joinToken(h.joinToken(id))), Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new Held(keys, Pem.certificates(json(r.body()).get("certificate_chain").textValue()));
    }

    /** A POST presenting {@code held} as the TLS client certificate (a real handshake). */
    HttpResponse<String> postPresenting(Held held, String path, String json) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "test".toCharArray();
        ks.setKeyEntry("wic", held.keys().getPrivate(), pw, held.chain().toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        return postPresenting(held, path, json, kmf.getKeyManagers()[0]);
    }

    HttpResponse<String> postPresenting(Held held, String path, String json, javax.net.ssl.KeyManager keyManager) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ServerTls.trustStore(Files.readString(h.server().caCertFile())));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new javax.net.ssl.KeyManager[] {keyManager}, tmf.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).build();
        return client.send(HttpRequest.newBuilder(h.url(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> renew(Held current, KeyPair next, String csrId) throws Exception {
        return postPresenting(current, "/v1/wic", body(pemCsr(next, csrId, List.of()), WIC));
    }

    JsonNode lastAudit() throws Exception {
        List<String> audit = Files.readAllLines(h.stateDir.resolve("audit.log"));
        return json(audit.get(audit.size() - 1));
    }

    @Test
    void WIC_4_theCurrentWicOverMutualTlsRenewsToANewWicWithTheFreshKey() throws Exception {
        Held current = firstWic(SVC);
        KeyPair next = KeyType.EC_P256.generate();
        HttpResponse<String> r = renew(current, next, SVC);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<X509Certificate> chain = Pem.certificates(json(r.body()).get("certificate_chain").textValue());
        assertThat(chain.get(0).getPublicKey()).isEqualTo(next.getPublic());
        assertThat(chain.get(0).getSerialNumber()).isNotEqualTo(current.chain().get(0).getSerialNumber());
        assertThat(json(r.body()).get("subject").textValue()).isEqualTo(SVC);
        JsonNode audit = lastAudit();
        assertThat(audit.get("method").textValue()).isEqualTo("wic");
        assertThat(audit.get("result").textValue()).isEqualTo("issued");
        assertThat(audit.get("presented_serial").textValue()).as("the WIC presented, audited")
                .isEqualTo(current.chain().get(0).getSerialNumber().toString(16));
        assertThat(audit.get("serial").textValue()).isEqualTo(chain.get(0).getSerialNumber().toString(16));
        // and the renewed WIC renews again
        Held renewed = new Held(next, chain);
        assertThat(renew(renewed, KeyType.EC_P256.generate(), SVC).statusCode()).isEqualTo(200);
    }

    @Test
    void KEY_4_aRenewalCsrWithTheCurrentWicsKeyIsRefused() throws Exception {
        Held current = firstWic(SVC);
        assertProblem(renew(current, current.keys(), SVC), 400, "invalid-key");
        assertThat(lastAudit().get("result").textValue()).isEqualTo("invalid-key");
        assertThat(lastAudit().get("presented_serial").textValue()).isEqualTo(current.chain().get(0).getSerialNumber().toString(16));
    }

    @Test
    void WIC_4_theWicMethodWithoutAClientCertificateIsRefused() throws Exception {
        HttpResponse<String> r = h.post("/v1/wic", "application/json", body(pemCsr(KeyType.EC_P256.generate(), SVC, List.of()), WIC), Map.of());
        assertProblem(r, 400, "attestation-failed");
        assertThat(json(r.body()).get("detail").textValue()).contains("TLS client certificate");
    }

    @Test
    void MT_1_aClientCertificateOfAnotherCaIsRefusedWithItsReason() throws Exception {
        HeldCertificate otherCa = HeldCertificate.builder().commonName("other CA").certificateAuthority(0).build();
        HeldCertificate foreign = HeldCertificate.builder().uri(SVC).usages(WicUsage.CLIENT).signedBy(otherCa).build();
        Held held = new Held(foreign.keyPair(), foreign.chain());
        // the JDK's key manager presents no certificate of a CA the server's request does not name
        assertProblem(renew(held, KeyType.EC_P256.generate(), SVC), 400, "attestation-failed");
        // a key manager presenting it anyway (WicKeyManager ignores the named issuers) is refused by its reason
        HttpResponse<String> r = postPresenting(held, "/v1/wic", body(pemCsr(KeyType.EC_P256.generate(), SVC, List.of()), WIC),
                WicKeyManager.of(held.keys().getPrivate(), held.chain(), java.time.Clock.systemUTC()));
        assertProblem(r, 400, "unknown-key");
    }

    @Test
    void MT_1_aForeignClientCertificateDoesNotStopAnotherMethod() throws Exception {
        HeldCertificate otherCa = HeldCertificate.builder().commonName("other CA").certificateAuthority(0).build();
        HeldCertificate foreign = HeldCertificate.builder().uri(SVC).usages(WicUsage.CLIENT).signedBy(otherCa).build();
        HttpResponse<String> r = postPresenting(new Held(foreign.keyPair(), foreign.chain()), "/v1/wic",
                body(pemCsr(KeyType.EC_P256.generate(), SVC, List.of()), joinToken(h.joinToken(SVC))));
        assertThat(r.statusCode()).as("the handshake defers the certificate to the 'wic' method: " + r.body()).isEqualTo(200);
    }

    @Test
    void KEY_3_anExpiredWicDoesNotRenew() throws Exception {
        Held current = firstWic(SVC);
        h.clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertProblem(renew(current, KeyType.EC_P256.generate(), SVC), 400, "expired");
    }

    @Test
    void WIC_2_aRenewalCsrForAnotherIdentifierIsRefused() throws Exception {
        Held current = firstWic(SVC);
        assertProblem(renew(current, KeyType.EC_P256.generate(), NO_WIC), 400, "invalid-identifier");
    }

    @Test
    void WIC_4_theRegistrationMustAllowTheWicMethod() throws Exception {
        Held current = firstWic(NO_WIC);
        assertProblem(renew(current, KeyType.EC_P256.generate(), NO_WIC), 400, "method-not-allowed-for-identifier");
    }

    @Test
    void WIC_4_aWicOfAnEarlierRegistrationDoesNotRenew() throws Exception {
        Held current = firstWic(SVC);
        h.clock.advance(Duration.ofMinutes(2));
        assertThat(h.admin("DELETE", "/admin/v1/registrations?id=" + SVC, null).statusCode()).isEqualTo(204);
        h.register(SVC, "\"join_token\",\"wic\"", null);
        assertProblem(renew(current, KeyType.EC_P256.generate(), SVC), 400, "attestation-failed");
    }

    @Test
    void WIC_4_theCurrentWicOverMutualTlsObtainsAWit() throws Exception {
        Held current = firstWic(SVC);
        WorkloadKeyPair witKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        HttpResponse<String> r = postPresenting(current, "/v1/wit", ServerHarness.body(witKey, h.proof(witKey, c -> { }), WIC));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(lastAudit().get("method").textValue()).isEqualTo("wic");
        assertThat(lastAudit().get("sub").textValue()).isEqualTo(SVC);
        assertThat(lastAudit().get("presented_serial").textValue()).isEqualTo(current.chain().get(0).getSerialNumber().toString(16));
    }

    @Test
    void WIC_4_aWitByWicWithAProofNamingAnotherIdentifierIsRefused() throws Exception {
        Held current = firstWic(SVC);
        WorkloadKeyPair witKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        HttpResponse<String> r = postPresenting(current, "/v1/wit",
                ServerHarness.body(witKey, h.proof(witKey, c -> c.put("sub", NO_WIC)), WIC));
        assertProblem(r, 400, "attestation-failed");
    }

    @Test
    void WIC_4_aWicWhoseIdentifierWasDeregisteredDoesNotRenew() throws Exception {
        Held current = firstWic(SVC);
        assertThat(h.admin("DELETE", "/admin/v1/registrations?id=" + SVC, null).statusCode()).isEqualTo(204);
        assertProblem(renew(current, KeyType.EC_P256.generate(), SVC), 400, "unregistered-identifier");
    }

    @Test
    void MT_1_aLeafSignedWithAWicsKeyIsNoWic() throws Exception {
        // the holder of a WIC for SVC signs a "leaf" for another identifier with its key: CA:false, no path
        Held current = firstWic(SVC);
        HeldCertificate asIssuer = HeldCertificate.builder().keyPair(current.keys()).uri(SVC).usages(WicUsage.CLIENT)
                .signedBy(HeldCertificate.builder().commonName("throwaway").certificateAuthority(0).build()).build();
        HeldCertificate forged = HeldCertificate.builder().uri(NO_WIC).usages(WicUsage.CLIENT).signedBy(asIssuer).build();
        List<X509Certificate> chain = List.of(forged.certificate(), current.chain().get(0), current.chain().get(1));
        HttpResponse<String> r = postPresenting(new Held(forged.keyPair(), chain), "/v1/wic",
                body(pemCsr(KeyType.EC_P256.generate(), NO_WIC, List.of()), WIC),
                WicKeyManager.of(forged.keyPair().getPrivate(), chain, java.time.Clock.systemUTC()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r.body()).get("code").textValue()).isIn("unknown-key", "invalid-certificate", "bad-signature");
    }

    @Test
    void MT_7_aWicOfTheOldCaRenewsDuringARotationAndGetsALeafOfTheNewOne() throws Exception {
        Held current = firstWic(SVC);
        X509Certificate oldCa = current.chain().get(1);
        assertThat(h.admin("POST", "/admin/v1/wic-ca/rotate", null).statusCode()).isEqualTo(200);
        h.clock.advance(AHEAD);
        KeyPair next = KeyType.EC_P256.generate();
        HttpResponse<String> r = renew(current, next, SVC);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<X509Certificate> chain = Pem.certificates(json(r.body()).get("certificate_chain").textValue());
        assertThat(chain.get(1)).isNotEqualTo(oldCa);
        assertThat(chain.get(0).getIssuerX500Principal()).isEqualTo(chain.get(1).getSubjectX500Principal());
    }
}
