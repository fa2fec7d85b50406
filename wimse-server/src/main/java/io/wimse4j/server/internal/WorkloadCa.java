package io.wimse4j.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.x509.CertificateAuthority;
import io.wimse4j.x509.KeyType;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.WicIssuer;

import java.nio.file.Files;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

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
 * relying parties may already trust. A CA is valid {@link #VALIDITY} from its creation, and WICs are
 * cut to its notAfter.
 *
 * <p>Rotation with overlap ({@link Authorities}, modelled on the WIT keys of {@link KeyRing}): a new CA
 * is published at once ({@code GET /v1/x509-bundle.pem}, the SPIFFE bundle's {@code x509-svid}
 * entries) and signs WICs only from {@code now + publishAhead} (the WIT keys' publish-ahead, itself at
 * least the bundles' max-age); the CA signing at any instant is the one with the latest
 * {@code signs_from} not after it; a superseded CA stays published until its successor's
 * {@code signs_from} + the retention (the maximum WIC lifetime + the leeway), when every WIC it signed
 * has expired, or until its own notAfter if that comes first. Rotation runs on
 * {@link Authorities#rotate()} ({@code POST /admin/v1/wic-ca/rotate}) and automatically once less than
 * a third of the newest CA's validity remains ({@link #ROTATE_WHEN_REMAINING}). Once a CA set other
 * than the one CA of {@value #CERT} exists, it is kept in {@value #FILE} (certificates, private keys,
 * schedule; owner-only, written atomically), which then supersedes {@value #CERT} and {@value #KEY}
 * (removed after it is written).
 */
public final class WorkloadCa {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WorkloadCa.class);
    /** The CA set with its schedule, once rotated (private keys: owner-only). */
    public static final String FILE = "wic-cas.json";
    /** The fraction of a CA's validity that, once less of it remains, triggers an automatic rotation. */
    public static final double ROTATE_WHEN_REMAINING = 1.0 / 3;
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
     * Opens the trust domain's workload CAs: {@value #FILE} when present, else the one CA of
     * {@value #CERT} ({@link #openOrCreate}, created when there is none), signing since its notBefore.
     *
     * @param publishAhead how long a new CA is published before it signs
     * @param retention    how long a superseded CA stays published after its successor signs
     * @param issuers      the WIC issuer of a CA
     */
    public static Authorities open(StateDir state, TrustDomain trustDomain, Duration publishAhead, Duration retention,
                                   Function<CertificateAuthority, WicIssuer> issuers, Clock clock) throws IOException {
        Authorities a = new Authorities(state, trustDomain, publishAhead, retention, issuers, clock);
        synchronized (a) {
            a.load();
            a.maintain();
        }
        return a;
    }

    /** The state of a CA, as the admin API reports it. */
    public enum State {
        /** Published, not signing yet. */
        NEXT,
        /** Signing now. */
        ACTIVE,
        /** No longer signing, still published until {@code retire_after}. */
        RETIRING
    }

    /**
     * A CA as the admin API shows it (no key material).
     *
     * @param retireAfter when the CA will be removed; empty while it has no successor
     */
    public record CaInfo(String serial, State state, Instant createdAt, Instant signsFrom, Instant notAfter,
                         Optional<Instant> retireAfter) {
    }

    /** What a rotation did. */
    public record Rotation(String serial, Instant publishesAt, Instant signsFrom, Instant notAfter) {
    }

    /** The trust domain's workload CAs and their rotation (see {@link WorkloadCa}). Thread-safe. */
    public static final class Authorities {
        private record Entry(CertificateAuthority ca, Instant createdAt, Instant signsFrom) {
        }

        private final StateDir state;
        private final TrustDomain trustDomain;
        private final Duration publishAhead;
        private final Duration retention;
        private final Function<CertificateAuthority, WicIssuer> issuers;
        private final Clock clock;
        private final List<Entry> entries = new ArrayList<>();
        private final Map<CertificateAuthority, WicIssuer> issuerCache = new HashMap<>();

        private Authorities(StateDir state, TrustDomain trustDomain, Duration publishAhead, Duration retention,
                            Function<CertificateAuthority, WicIssuer> issuers, Clock clock) {
            this.state = Objects.requireNonNull(state);
            this.trustDomain = Objects.requireNonNull(trustDomain);
            this.publishAhead = Objects.requireNonNull(publishAhead);
            this.retention = Objects.requireNonNull(retention);
            this.issuers = Objects.requireNonNull(issuers);
            this.clock = Objects.requireNonNull(clock);
        }

        private Instant now() {
            return Instant.ofEpochSecond(clock.instant().getEpochSecond());
        }

        private void load() throws IOException {
            Optional<byte[]> bytes = state.read(FILE);
            if (bytes.isEmpty()) {
                CertificateAuthority ca = openOrCreate(state, trustDomain, clock);
                entries.add(new Entry(ca, ca.notBefore(), ca.notBefore()));
                return;
            }
            try {
                ObjectNode file = StrictJson.parseObject(bytes.get(), FILE);
                for (JsonNode e : file.withArray("authorities")) {
                    X509Certificate cert = Pem.certificate(e.get("certificate").textValue());
                    CertificateAuthority ca = CertificateAuthority.load(trustDomain, cert,
                            Pem.privateKey(e.get("private_key").textValue()));
                    entries.add(new Entry(ca, Instant.ofEpochSecond(e.get("created_at").longValue()),
                            Instant.ofEpochSecond(e.get("signs_from").longValue())));
                }
            } catch (WimseException e) {
                throw new IOException("state file " + FILE + " is unusable: " + e.detail(), e);
            } catch (RuntimeException e) {
                throw new IOException("state file " + FILE + " is unreadable", e);
            }
            if (entries.isEmpty()) {
                throw new IOException("state file " + FILE + " holds no workload CA");
            }
            entries.sort(Comparator.comparing(Entry::signsFrom));
        }

        private void persist() {
            entries.sort(Comparator.comparing(Entry::signsFrom));
            ObjectNode file = StrictJson.mapper().createObjectNode();
            ArrayNode arr = file.putArray("authorities");
            for (Entry e : entries) {
                ObjectNode o = arr.addObject();
                o.put("certificate", e.ca().certificatePem());
                o.put("private_key", Pem.encodePrivateKey(e.ca().privateKey()));
                o.put("created_at", e.createdAt().getEpochSecond());
                o.put("signs_from", e.signsFrom().getEpochSecond());
            }
            try {
                state.writeAtomically(FILE, StrictJson.mapper().writeValueAsBytes(file));
                // superseded by FILE from now on
                Files.deleteIfExists(state.file(CERT));
                Files.deleteIfExists(state.file(KEY));
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException("cannot persist the workload CAs", ex);
            }
        }

        private Entry active(Instant now) {
            return Schedule.current(entries, Entry::signsFrom, now);
        }

        /** Creates a CA, published now and signing after the publish-ahead period. */
        public synchronized Rotation rotate() {
            Instant now = now();
            CertificateAuthority ca = CertificateAuthority.builder(trustDomain).keyType(KeyType.EC_P256).validity(VALIDITY)
                    .clock(clock).build();
            Entry e = new Entry(ca, now, now.plus(publishAhead));
            entries.add(e);
            try {
                persist();
            } catch (RuntimeException ex) {
                entries.remove(e);
                throw ex;
            }
            return new Rotation(serial(ca), now, e.signsFrom(), ca.notAfter());
        }

        /**
         * Removes CAs whose every WIC has expired and rotates when less than
         * {@link #ROTATE_WHEN_REMAINING} of the newest CA's validity remains. Called on every use.
         */
        public synchronized void maintain() {
            Instant now = now();
            List<Entry> before = new ArrayList<>(entries);
            while (entries.size() > 1) {
                Entry old = entries.get(0);
                Instant successorFrom = entries.get(1).signsFrom();
                if (!successorFrom.isAfter(now)
                        && (!now.isBefore(successorFrom.plus(retention)) || !now.isBefore(old.ca().notAfter()))) {
                    entries.remove(0);
                } else {
                    break;
                }
            }
            try {
                if (entries.size() != before.size()) {
                    persist();
                    before.stream().filter(e -> !entries.contains(e)).forEach(e -> issuerCache.remove(e.ca()));
                    LOG.info("removed {} superseded workload CA(s): every WIC they signed has expired",
                            before.size() - entries.size());
                }
                CertificateAuthority newest = entries.get(entries.size() - 1).ca();
                long validity = Duration.between(newest.notBefore(), newest.notAfter()).getSeconds();
                if (!now.isBefore(newest.notAfter().minusSeconds((long) (validity * ROTATE_WHEN_REMAINING)))) {
                    Rotation r = rotate();
                    LOG.info("rotated the workload CA (less than a third of its validity left): new CA serial {} signs WICs from {}",
                            r.serial(), r.signsFrom());
                }
            } catch (RuntimeException e) {
                // never fails a request: the CAs stay as they were (still persisted), tried again on the next use
                entries.clear();
                entries.addAll(before);
                LOG.error("workload CA maintenance failed: {}", e.toString());
            }
        }

        /** The WIC issuer of the CA signing now. */
        public synchronized WicIssuer issuer() {
            maintain();
            return issuerCache.computeIfAbsent(active(now()).ca(), issuers);
        }

        /** The CA signing now. */
        public synchronized CertificateAuthority active() {
            maintain();
            return active(now()).ca();
        }

        /** The published CA certificates, oldest first. */
        public synchronized List<X509Certificate> certificates() {
            maintain();
            return entries.stream().map(e -> e.ca().certificate()).toList();
        }

        /** The published CA certificates as PEM ({@code GET /v1/x509-bundle.pem}), oldest first. */
        public synchronized String bundlePem() {
            maintain();
            StringBuilder sb = new StringBuilder();
            entries.forEach(e -> sb.append(e.ca().certificatePem()));
            return sb.toString();
        }

        /** The CAs, oldest first, with their states. */
        public synchronized List<CaInfo> list() {
            maintain();
            Instant now = now();
            Entry active = active(now);
            List<CaInfo> out = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                State s = e == active ? State.ACTIVE : e.signsFrom().isAfter(now) ? State.NEXT : State.RETIRING;
                Optional<Instant> retire = Optional.empty();
                if (i + 1 < entries.size()) {
                    Instant r = entries.get(i + 1).signsFrom().plus(retention);
                    retire = Optional.of(r.isBefore(e.ca().notAfter()) ? r : e.ca().notAfter());
                }
                out.add(new CaInfo(serial(e.ca()), s, e.createdAt(), e.signsFrom(), e.ca().notAfter(), retire));
            }
            return out;
        }

        private static String serial(CertificateAuthority ca) {
            return ca.certificate().getSerialNumber().toString(16);
        }
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
