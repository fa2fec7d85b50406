package io.wimse4j.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.x509.X509TrustBundle;
import io.wimse4j.x509.X509TrustSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The X.509 anchors of the SPIFFE bundles an {@link HttpJwksTrustBundleSource} fetches (ALG-2,
 * SPIFFE Trust Domain and Bundle 4.2.1), e.g. the Identity Server's {@code /v1/trust-bundle/spiffe}:
 * one fetch, refresh schedule and rollback refusal ({@code spiffe_sequence}) serve both the WIT keys
 * and the workload CAs, so a peer's {@link io.wimse4j.x509.tls.WicTrustManager} follows a CA rotation
 * (the new CA is published before it signs; the old one leaves once its last WIC expired, MT-1, MT-7).
 * Only {@code "use": "x509-svid"} entries become anchors, each with {@code x5c} holding exactly one
 * base64 DER CA certificate; a document without usable entry gives no anchors (the trust domain is not
 * trusted for X.509), a malformed entry refuses the whole bundle. A plain JWKS gives none. Needs
 * {@code wimse-x509} on the class path. Thread-safe; the anchors are parsed once per fetched document.
 * A document whose anchors are unusable is reported to the {@code bundles}' observer as a failed refresh
 * of its trust domain ({@link io.wimse4j.core.observe.WimseObserver#trustBundleRefreshFailed}), once per document.
 */
public final class SpiffeX509TrustSource implements X509TrustSource {
    private static final Logger LOG = LoggerFactory.getLogger(SpiffeX509TrustSource.class);
    static final String X509_SVID = "x509-svid";

    private final HttpJwksTrustBundleSource bundles;
    private final Map<TrustDomain, Parsed> parsed = new ConcurrentHashMap<>();

    /** The anchors parsed from one document (identity-compared), or empty when it has none. */
    private record Parsed(ObjectNode document, Optional<X509TrustBundle> anchors) {
    }

    private SpiffeX509TrustSource(HttpJwksTrustBundleSource bundles) {
        this.bundles = bundles;
    }

    /** The X.509 anchors of the SPIFFE bundles {@code bundles} fetches (it stays the one to close). */
    public static SpiffeX509TrustSource of(HttpJwksTrustBundleSource bundles) {
        return new SpiffeX509TrustSource(Objects.requireNonNull(bundles, "bundles"));
    }

    @Override
    public Optional<X509TrustBundle> bundleFor(TrustDomain trustDomain) {
        Optional<ObjectNode> doc = bundles.documentFor(trustDomain);
        if (doc.isEmpty()) {
            return Optional.empty();
        }
        Parsed p = parsed.get(trustDomain);
        if (p == null || p.document() != doc.get()) {
            Optional<X509TrustBundle> anchors;
            try {
                anchors = anchors(trustDomain, doc.get());
            } catch (WimseException e) {
                LOG.warn("the SPIFFE bundle of {} has unusable X.509 anchors: {}", trustDomain, e.detail());
                bundles.observer().trustBundleRefreshFailed(trustDomain, e); // once per fetched document
                anchors = Optional.empty();
            }
            p = new Parsed(doc.get(), anchors);
            parsed.put(trustDomain, p);
        }
        return p.anchors();
    }

    /**
     * The {@code x509-svid} anchors of a SPIFFE bundle document, e.g. read from a file; empty when it
     * has none.
     *
     * @throws WimseException {@link Reason#INVALID_KEY} for a document that is not a JSON object with a
     *         {@code keys} array, or an {@code x509-svid} entry whose {@code x5c} is not exactly one
     *         base64 DER CA certificate
     */
    public static Optional<X509TrustBundle> anchorsOf(TrustDomain trustDomain, String spiffeBundle) throws WimseException {
        return anchors(trustDomain, StrictJson.parseObject(spiffeBundle, "SPIFFE bundle"));
    }

    private static Optional<X509TrustBundle> anchors(TrustDomain td, ObjectNode root) throws WimseException {
        JsonNode keys = root.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new WimseException(Reason.INVALID_KEY, "the SPIFFE bundle of " + td + " has no 'keys' array");
        }
        List<X509Certificate> cas = new ArrayList<>();
        int i = 0;
        for (JsonNode key : keys) {
            JsonNode use = key.get("use");
            if (use != null && use.isTextual() && X509_SVID.equals(use.textValue())) {
                cas.add(certificate(td, key.get("x5c"), i));
            }
            i++;
        }
        return cas.isEmpty() ? Optional.empty() : Optional.of(X509TrustBundle.of(td, cas));
    }

    private static X509Certificate certificate(TrustDomain td, JsonNode x5c, int entry) throws WimseException {
        if (x5c == null || !x5c.isArray() || x5c.size() != 1 || !x5c.get(0).isTextual()) {
            throw new WimseException(Reason.INVALID_KEY, "keys[" + entry + "] of the SPIFFE bundle of " + td
                    + ": an x509-svid entry needs 'x5c' with exactly one certificate (SPIFFE bundle 4.2.1)");
        }
        try {
            byte[] der = Base64.getDecoder().decode(x5c.get(0).textValue());
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
            throw new WimseException(Reason.INVALID_KEY, "keys[" + entry + "] of the SPIFFE bundle of " + td
                    + ": 'x5c' is not a base64 DER certificate");
        }
    }

    @Override
    public String toString() {
        return "SpiffeX509TrustSource[" + bundles.trustDomains() + "]";
    }
}
