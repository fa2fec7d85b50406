package io.wimse4j.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.x509.CertificateAuthority;
import io.wimse4j.x509.KeyType;
import io.wimse4j.x509.Pem;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The trust domain's workload CA, which signs Workload Identity Certificates ({@code POST /v1/wic}):
 * an EC P-256 CA of {@code wimse-x509} ({@link CertificateAuthority}), created on the first start and
 * kept in the state directory as {@value #CERT} (the certificate) and {@value #KEY} (its PKCS#8 private
 * key, owner-only like every state file, KEY-1), both written atomically. It is not the server's own
 * HTTPS CA ({@link ServerTls}, {@code ca.pem}): a relying party that trusts workload certificates
 * trusts nothing about the server's TLS, and the other way round.
 *
 * <p>The key is written before the certificate, so a crash between the two leaves a key without a
 * certificate, which was never used and is replaced by a new CA on the next start; a certificate
 * without its key (the key file removed) refuses the start rather than silently replacing a CA that
 * relying parties may already trust. There is no rotation yet: the CA is valid {@link #VALIDITY} from
 * its creation, and WICs are cut to its notAfter.
 */
public final class WorkloadCa {
    /** The CA certificate (PEM). */
    public static final String CERT = "wic-ca.pem";
    /** The CA private key (PEM, PKCS#8, owner-only). */
    public static final String KEY = "wic-ca-key.pem";
    /** The validity of a new workload CA: one year. */
    public static final Duration VALIDITY = Duration.ofDays(365);

    private WorkloadCa() {
    }

    /**
     * Loads the workload CA of {@code trustDomain} from {@code state}, creating it when there is none.
     *
     * @throws IOException when the files are unreadable, the certificate has lost its key, or the CA
     *                     loaded is unusable for {@code trustDomain}
     */
    public static CertificateAuthority openOrCreate(StateDir state, TrustDomain trustDomain, Clock clock) throws IOException {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Optional<String> certPem = state.readString(CERT);
        Optional<String> keyPem = state.readString(KEY);
        if (certPem.isPresent()) {
            if (keyPem.isEmpty()) {
                throw new IOException("state file " + CERT + " has no private key " + KEY
                        + "; remove " + CERT + " to create a new workload CA (relying parties must then trust the new one)");
            }
            List<X509Certificate> certs = Pem.certificates(certPem.get());
            if (certs.size() != 1) {
                throw new IOException("state file " + CERT + " must hold exactly one certificate, not " + certs.size());
            }
            try {
                return CertificateAuthority.load(trustDomain, certs.get(0), Pem.privateKey(keyPem.get()));
            } catch (WimseException e) {
                // the detail names the problem, never key material
                throw new IOException("the workload CA in " + CERT + " is unusable: " + e.detail(), e);
            }
        }
        CertificateAuthority ca = CertificateAuthority.builder(trustDomain).keyType(KeyType.EC_P256).validity(VALIDITY)
                .clock(clock).build();
        // the key first: a crash before the certificate is written leaves an unused key, replaced next time
        state.writeAtomically(KEY, Pem.encodePrivateKey(ca.privateKey()));
        state.writeAtomically(CERT, ca.certificatePem());
        return ca;
    }

    /**
     * The SPIFFE bundle entry of a CA certificate (SPIFFE Trust Domain and Bundle, section 4.2.1): its
     * public key as a JWK ({@code kty}, {@code crv}, {@code x}, {@code y}, or {@code n}, {@code e}),
     * {@code "use": "x509-svid"} and {@code x5c} with exactly that certificate (base64 DER).
     */
    static ObjectNode spiffeEntry(X509Certificate cert) {
        ObjectNode entry = StrictJson.mapper().createObjectNode();
        try {
            ObjectNode jwk = (ObjectNode) StrictJson.mapper().readTree(
                    com.nimbusds.jose.jwk.JWK.parse(cert).toPublicJWK().toJSONString());
            for (String member : List.of("kty", "crv", "x", "y", "n", "e")) {
                if (jwk.has(member)) {
                    entry.set(member, jwk.get(member));
                }
            }
            entry.put("use", "x509-svid");
            entry.putArray("x5c").add(Base64.getEncoder().encodeToString(cert.getEncoded()));
        } catch (com.nimbusds.jose.JOSEException | CertificateEncodingException | IOException e) {
            throw new IllegalStateException("cannot publish the workload CA certificate: " + e, e);
        }
        return entry;
    }
}
