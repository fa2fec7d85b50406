package io.wimse4j.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.x509.CertificateRequests;
import io.wimse4j.x509.KeyType;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.PemException;
import io.wimse4j.x509.tls.WicKeyManager;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One {@code POST /v1/wic} exchange with the Identity Server: a freshly generated key pair per
 * certificate (KEY-4), a PKCS#10 request for the workload's identifier (and DNS names) signed with it,
 * and either an initial attestation or a renewal with the current WIC as the TLS client certificate
 * (method {@code wic}). Each exchange runs on a new TLS context and HTTP client, so a pooled
 * connection or a resumed session can never present another WIC than the one meant. Answers become
 * checked {@link HeldWic}s (the leaf is for the new key and the identifier, valid now); problems
 * become {@link IdentityServerException}s.
 */
final class WicIssuanceClient {
    private final URI endpoint;
    private final TrustManager[] trust;
    private final KeyType keyType;
    private final WorkloadIdentifier identifier;
    private final List<String> dnsNames;
    private final Clock clock;
    private final Duration timeout;
    private final int maxBodyBytes;

    /** A WIC (leaf first) with its private key; the key is never shown. */
    record HeldWic(PrivateKey key, List<X509Certificate> chain) {
        HeldWic {
            Objects.requireNonNull(key, "key");
            chain = List.copyOf(chain);
        }

        Instant expiresAt() {
            return chain.get(0).getNotAfter().toInstant();
        }

        @Override
        public String toString() {
            X509Certificate leaf = chain.get(0);
            return "WIC[serial " + leaf.getSerialNumber().toString(16) + ", expires " + expiresAt() + "]";
        }
    }

    WicIssuanceClient(URI endpoint, TrustManager[] trust, KeyType keyType, WorkloadIdentifier identifier, List<String> dnsNames,
                      Clock clock, Duration timeout, int maxBodyBytes) {
        this.endpoint = endpoint;
        this.trust = trust == null ? null : trust.clone();
        this.keyType = keyType;
        this.identifier = identifier;
        this.dnsNames = List.copyOf(dnsNames);
        this.clock = clock;
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Issuance with an initial attestation, presenting no client certificate. */
    HeldWic issue(InitialAttestation attestation) throws IOException, WimseException, InterruptedException {
        return exchange(attestation.toJson(), null);
    }

    /** Renewal with method {@code wic}: {@code current} is the TLS client certificate. */
    HeldWic renew(HeldWic current) throws IOException, WimseException, InterruptedException {
        return exchange(StrictJson.mapper().createObjectNode().put("method", "wic"), current);
    }

    private HeldWic exchange(ObjectNode attestation, HeldWic present) throws IOException, WimseException, InterruptedException {
        KeyPair keys = keyType.generate();
        ObjectNode body = StrictJson.mapper().createObjectNode();
        body.put("csr", CertificateRequests.createPem(keys, identifier, dnsNames));
        body.set("attestation", attestation);
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(StrictJson.mapper().writeValueAsBytes(body))).build();
        BoundedHttp.Response response = BoundedHttp.send(http(present), request, maxBodyBytes);
        if (response.status() != 200) {
            throw IdentityServerException.of(response);
        }
        JsonNode chainPem;
        try {
            chainPem = StrictJson.parseObject(response.body(), "WIC issuance response").get("certificate_chain");
        } catch (WimseException e) {
            throw new IdentityServerException(200, null, "the Identity Server's answer is not valid JSON (" + e.reason() + ")");
        }
        if (chainPem == null || !chainPem.isTextual()) {
            throw new IdentityServerException(200, null, "the Identity Server's answer has no 'certificate_chain'");
        }
        List<X509Certificate> chain;
        try {
            chain = Pem.certificates(chainPem.textValue());
        } catch (PemException e) {
            throw new IdentityServerException(200, null, "the Identity Server's 'certificate_chain' is not PEM certificates");
        }
        check(chain, keys);
        return new HeldWic(keys.getPrivate(), chain);
    }

    /** The leaf certifies the new key, for the identifier, and is valid now. */
    private void check(List<X509Certificate> chain, KeyPair keys) throws IdentityServerException {
        if (chain.isEmpty()) {
            throw new IdentityServerException(200, null, "the Identity Server answered an empty certificate chain");
        }
        X509Certificate leaf = chain.get(0);
        if (!leaf.getPublicKey().equals(keys.getPublic())) {
            throw new IdentityServerException(200, null, "the issued WIC is not for the key of the request");
        }
        if (!uris(leaf).equals(List.of(identifier.value()))) {
            throw new IdentityServerException(200, null, "the issued WIC is not for " + identifier + " alone");
        }
        Instant now = clock.instant();
        if (!now.isBefore(leaf.getNotAfter().toInstant()) || now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new IdentityServerException(200, null, "the issued WIC is not valid now (valid "
                    + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + ")");
        }
    }

    private static List<String> uris(X509Certificate leaf) throws IdentityServerException {
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            return sans == null ? List.of() : sans.stream().filter(n -> Integer.valueOf(6).equals(n.get(0)))
                    .map(n -> String.valueOf(n.get(1))).toList();
        } catch (CertificateParsingException e) {
            throw new IdentityServerException(200, null, "the issued WIC's subjectAltName cannot be read");
        }
    }

    /** A new client whose TLS context presents {@code present} (or nothing) and trusts the server as configured. */
    private HttpClient http(HeldWic present) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManager[] keys = present == null ? null : new KeyManager[] {WicKeyManager.of(present.key(), present.chain(), clock)};
            context.init(keys, trust, null);
            return HttpClient.newBuilder().sslContext(context).connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for " + endpoint + ": " + e.getMessage(), e);
        }
    }
}
