package io.wimse4j.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwsSigner;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.server.SigningKey;
import io.wimse4j.server.SigningKeyProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The trust domain's WIT signing keys and their rotation (the contract's "Key rotation"): a new key
 * is published at once (state {@code next}) and signs only from {@code now + publishAhead}; the key
 * signing at any instant is the one with the latest {@code signs_from} not after it; a superseded
 * key ({@code retiring}) stays published until its successor's {@code signs_from} + the maximum WIT
 * lifetime + leeway, when every WIT it signed has expired, and is then removed. Rotation runs on
 * {@link #rotate()} and, when a period is set, from {@link #maintain()}. Keys are persisted in
 * {@code <state dir>/keys.json} (owner-only, atomic) so a restart keeps them. It hands out the
 * {@link JwsSigner} of the key signing now ({@link #signer()}).
 *
 * <p>A key is either generated here ({@code keys.json} holds its private JWK, KEY-1: owner-only) or,
 * when a {@link SigningKeyProvider} is configured, created by the provider ({@code keys.json} holds
 * only its handle and public JWK; the provider is asked for the key again after a restart). Keys
 * already in {@code keys.json} keep their kind, so configuring a provider takes effect with the
 * next rotation. The same keys are also published as a SPIFFE bundle ({@link #spiffeBundleJson},
 * ALG-2) whose {@code spiffe_sequence}, kept in {@code keys.json}, grows with every change of the key
 * set, to at least the time of the change in epoch milliseconds, so it stays monotonic even when
 * {@code keys.json} is lost or restored from a backup. The SPIFFE bundle also carries the trust
 * domain's workload CA certificates (given to {@link #open}) as {@code "use": "x509-svid"} entries
 * (SPIFFE Trust Domain and Bundle, section 4.2.1: the CA's public key as a JWK, {@code x5c} holding
 * exactly its certificate, no {@code kid}); they are kept in {@code keys.json} too, so a change of the
 * CA raises the sequence like a change of the WIT keys, and a restart with the same CA changes nothing.
 * Thread-safe.
 */
public final class KeyRing {
    /** The file holding the keys (private keys: owner-only). */
    public static final String FILE = "keys.json";

    /** One key with its schedule. */
    private record Entry(RingKey key, Instant createdAt, Instant signsFrom) {
    }

    /** The state of a key, as the admin API reports it. */
    public enum State {
        /** Published, not signing yet. */
        NEXT,
        /** Signing now. */
        ACTIVE,
        /** No longer signing, still published until {@code retire_after}. */
        RETIRING
    }

    /**
     * A key as the admin API shows it (no key material).
     *
     * @param retireAfter when the key will be removed; empty while it has no successor
     */
    public record KeyInfo(String kid, JwsAlgorithm alg, State state, Instant createdAt, Instant signsFrom,
                          Optional<Instant> retireAfter) {
    }

    /** What a rotation did. */
    public record Rotation(String kid, Instant publishesAt, Instant signsFrom) {
    }

    private final StateDir state;
    private final TrustDomain trustDomain;
    private final JwsAlgorithm algorithm;
    private final Duration publishAhead;
    private final Duration retention;
    private final Optional<Duration> rotateEvery;
    private final Optional<SigningKeyProvider> provider;
    private final Clock clock;
    private final List<Entry> entries = new ArrayList<>();
    private TrustBundle bundle;
    private String jwks;
    /** The published public JWKs as last counted by {@link #sequence}; null before the first publication. */
    private ArrayNode published;
    /** The SPIFFE bundle's {@code spiffe_sequence}: grows whenever the published key set changes (ALG-2). */
    private long sequence;
    /** The x509-svid entries to publish (the workload CA certificates). */
    private final ArrayNode x509 = StrictJson.mapper().createArrayNode();
    /** The x509-svid entry of each CA certificate seen (few: one per CA rotation in this process). */
    private final java.util.Map<X509Certificate, ObjectNode> x509Cache = new java.util.HashMap<>();
    /** Where the workload CA certificates come from. */
    private final java.util.function.Supplier<List<X509Certificate>> x509Source;
    /** The x509-svid entries as last counted by {@link #sequence}. */
    private ArrayNode publishedX509 = StrictJson.mapper().createArrayNode();

    private KeyRing(StateDir state, TrustDomain trustDomain, JwsAlgorithm algorithm, Duration publishAhead,
                    Duration retention, Optional<Duration> rotateEvery, Optional<SigningKeyProvider> provider, Clock clock,
                    java.util.function.Supplier<List<X509Certificate>> x509Source) {
        this.x509Source = x509Source;
        this.state = state;
        this.trustDomain = trustDomain;
        this.algorithm = algorithm;
        this.publishAhead = publishAhead;
        this.retention = retention;
        this.rotateEvery = rotateEvery;
        this.provider = provider;
        this.clock = clock;
    }

    /**
     * Loads the keys from {@code state}, creating a first key (signing at once) when there are none.
     *
     * @param retention how long a superseded key stays published after it stopped signing: the
     *                  maximum WIT lifetime plus the leeway
     * @param provider  where new keys come from; empty: generated here, stored in {@code keys.json}
     * @param x509Authorities the workload CA certificates the SPIFFE bundle publishes as x509-svid entries,
     *                        asked again on every use so that a CA rotation changes the bundle (and its sequence)
     * @throws IllegalStateException when the provider hands over an unusable key
     */
    public static KeyRing open(StateDir state, TrustDomain trustDomain, JwsAlgorithm algorithm, Duration publishAhead,
                               Duration retention, Optional<Duration> rotateEvery, Optional<SigningKeyProvider> provider,
                               java.util.function.Supplier<List<X509Certificate>> x509Authorities, Clock clock) throws IOException {
        KeyRing ring = new KeyRing(Objects.requireNonNull(state), Objects.requireNonNull(trustDomain),
                Objects.requireNonNull(algorithm), Objects.requireNonNull(publishAhead), Objects.requireNonNull(retention),
                Objects.requireNonNull(rotateEvery), Objects.requireNonNull(provider), Objects.requireNonNull(clock),
                Objects.requireNonNull(x509Authorities));
        synchronized (ring) {
            ring.x509.addAll(ring.x509Entries());
            ring.load();
            if (ring.entries.isEmpty()) {
                Instant now = ring.now();
                ring.entries.add(new Entry(ring.newKey(), now, now));
                ring.changed();
            }
            ring.maintain();
        }
        return ring;
    }

    private Instant now() {
        return Instant.ofEpochSecond(clock.instant().getEpochSecond());
    }

    /** The signer of the key that signs now (after {@link #maintain()}); its {@code kid} is the key's. */
    public synchronized JwsSigner signer() {
        maintain();
        return activeIndex(now()).key().signer();
    }

    private Entry activeIndex(Instant now) {
        return Schedule.current(entries, Entry::signsFrom, now);
    }

    /**
     * Creates a key, published now and signing after the publish-ahead period.
     *
     * @throws UncheckedIOException  when the provider cannot create a key (nothing changes then)
     * @throws IllegalStateException when the provider hands over an unusable key (nothing changes then)
     */
    public synchronized Rotation rotate() {
        Instant now = now();
        Entry e = new Entry(newKey(), now, now.plus(publishAhead));
        entries.add(e);
        changed();
        return new Rotation(e.key().kid(), now, e.signsFrom());
    }

    private RingKey newKey() {
        if (provider.isEmpty()) {
            return RingKey.local(WorkloadKeyPair.generate(algorithm));
        }
        SigningKey k;
        try {
            k = provider.get().create(algorithm);
        } catch (IOException e) {
            throw new UncheckedIOException("the signing-key provider cannot create a key", e);
        }
        RingKey key = RingKey.provided(Objects.requireNonNull(k, "the signing-key provider returned no key"), trustDomain);
        if (key.algorithm() != algorithm) {
            throw RingKey.unusable(key.kid(), "it signs with " + key.algorithm() + ", not the configured " + algorithm);
        }
        if (entries.stream().anyMatch(e -> e.key().kid().equals(key.kid()))) {
            throw RingKey.unusable(key.kid(), "a key with that kid is already in the ring");
        }
        return key;
    }

    /**
     * Removes keys whose every WIT has expired and runs a scheduled rotation when one is due.
     * Cheap when nothing changes; called on every use.
     */
    public synchronized void maintain() {
        Instant now = now();
        boolean removed = false;
        ArrayNode currentX509 = x509Entries();
        if (!currentX509.equals(x509)) {
            // a workload CA was published or removed: a new SPIFFE bundle, a higher sequence
            x509.removeAll();
            x509.addAll(currentX509);
            removed = true;
        }
        while (entries.size() > 1) {
            Instant successorFrom = entries.get(1).signsFrom();
            if (!successorFrom.isAfter(now) && !now.isBefore(successorFrom.plus(retention))) {
                entries.remove(0);
                removed = true;
            } else {
                break;
            }
        }
        if (removed) {
            changed();
        }
        if (rotateEvery.isPresent()) {
            Entry newest = entries.get(entries.size() - 1);
            if (!now.isBefore(newest.createdAt().plus(rotateEvery.get()))) {
                rotate();
            }
        }
    }

    private ArrayNode x509Entries() {
        ArrayNode out = StrictJson.mapper().createArrayNode();
        for (X509Certificate cert : x509Source.get()) {
            out.add(x509Cache.computeIfAbsent(cert, WorkloadCa::spiffeEntry));
        }
        return out;
    }

    /** The keys, oldest first, with their states. */
    public synchronized List<KeyInfo> keys() {
        maintain();
        Instant now = now();
        Entry active = activeIndex(now);
        List<KeyInfo> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            State s = e == active ? State.ACTIVE : e.signsFrom().isAfter(now) ? State.NEXT : State.RETIRING;
            Optional<Instant> retire = i + 1 < entries.size()
                    ? Optional.of(entries.get(i + 1).signsFrom().plus(retention)) : Optional.empty();
            out.add(new KeyInfo(e.key().kid(), e.key().algorithm(), s, e.createdAt(), e.signsFrom(), retire));
        }
        return out;
    }

    /** The published JWKS ({@code {"keys":[...]}}), every key with {@code kid}, {@code alg}, {@code use}. */
    public synchronized String jwksJson() {
        maintain();
        return jwks;
    }

    /**
     * The published keys as a SPIFFE bundle (ALG-2; SPIFFE Trust Domain and Bundle, section 4): the same
     * keys as {@link #jwksJson()}, each with {@code "use": "wit-svid"}, {@code kid} and {@code alg};
     * {@code spiffe_sequence} grows whenever the key set changes (a rotation publishes a key, a retired
     * key is removed), to the greater of one more and the change's time in epoch milliseconds, and is
     * kept in {@code keys.json} across restarts;
     * {@code spiffe_refresh_hint} is {@code refreshHintSeconds}.
     */
    public synchronized String spiffeBundleJson(long refreshHintSeconds) {
        maintain();
        ObjectNode doc = StrictJson.mapper().createObjectNode();
        ArrayNode keys = doc.putArray("keys");
        for (JsonNode k : published) {
            keys.add(((ObjectNode) k.deepCopy()).put("use", "wit-svid"));
        }
        publishedX509.forEach(e -> keys.add(e.deepCopy()));
        doc.put("spiffe_sequence", sequence).put("spiffe_refresh_hint", refreshHintSeconds);
        try {
            return StrictJson.mapper().writeValueAsString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SPIFFE bundle's current {@code spiffe_sequence} (ALG-2). */
    public synchronized long spiffeSequence() {
        maintain();
        return sequence;
    }

    /** The published keys as a trust bundle; a new instance whenever the key set changes. */
    public synchronized TrustBundle trustBundle() {
        maintain();
        return bundle;
    }

    /** The trust domain. */
    public TrustDomain trustDomain() {
        return trustDomain;
    }

    private void changed() {
        entries.sort(Comparator.comparing(Entry::signsFrom));
        ObjectNode pub = StrictJson.mapper().createObjectNode();
        ArrayNode pubKeys = pub.putArray("keys");
        ObjectNode file = StrictJson.mapper().createObjectNode();
        ArrayNode fileKeys = file.putArray("keys");
        for (Entry e : entries) {
            pubKeys.add(e.key().publicJwk());
        }
        // ALG-2: a new key set gets a higher spiffe_sequence, at least the time of the change in
        // milliseconds, so that it stays above every earlier one even if keys.json is lost or restored
        // from a backup (clients refuse a lower sequence as a rollback)
        long nextSequence = pubKeys.equals(published) && x509.equals(publishedX509) ? sequence
                : Math.max(Math.addExact(sequence, 1), clock.instant().toEpochMilli());
        file.put("spiffe_sequence", nextSequence);
        file.set("x509_authorities", x509.deepCopy());
        for (Entry e : entries) {
            ObjectNode k = fileKeys.addObject();
            k.put("created_at", e.createdAt().getEpochSecond());
            k.put("signs_from", e.signsFrom().getEpochSecond());
            try {
                e.key().writeTo(k);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        try {
            String newJwks = StrictJson.mapper().writeValueAsString(pub);
            TrustBundle newBundle = TrustBundle.fromJwks(trustDomain, newJwks);
            state.writeAtomically(FILE, StrictJson.mapper().writeValueAsBytes(file));
            // served only once persisted: a failed write publishes nothing a restart would take back
            this.jwks = newJwks;
            this.bundle = newBundle;
            this.sequence = nextSequence;
            this.published = pubKeys;
            this.publishedX509 = x509.deepCopy();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot persist the signing keys", ex);
        } catch (WimseException ex) {
            throw new IllegalStateException("own JWKS is unusable: " + ex.detail(), ex);
        }
    }

    private void load() throws IOException {
        Optional<byte[]> bytes = state.read(FILE);
        if (bytes.isEmpty()) {
            return;
        }
        JsonNode seq;
        JsonNode authorities;
        try {
            ObjectNode file = StrictJson.parseObject(bytes.get(), FILE);
            seq = file.get("spiffe_sequence");
            if (seq != null && (!seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 1)) {
                throw new IOException("state file " + FILE + " has an unusable spiffe_sequence");
            }
            authorities = file.get("x509_authorities");
            if (authorities != null && !authorities.isArray()) {
                throw new IOException("state file " + FILE + " has an unusable x509_authorities");
            }
            for (JsonNode k : file.withArray("keys")) {
                RingKey key = k.has("handle") ? RingKey.open(k, provider, trustDomain) : RingKey.local(
                        WorkloadKeyPair.fromPrivateJwk(StrictJson.mapper().writeValueAsString(k.get("jwk")), null));
                entries.add(new Entry(key, Instant.ofEpochSecond(k.get("created_at").longValue()),
                        Instant.ofEpochSecond(k.get("signs_from").longValue())));
            }
        } catch (RingKey.UnusableKey e) {
            throw e;
        } catch (WimseException | RuntimeException e) {
            throw new IOException("state file " + FILE + " is unreadable", e);
        }
        if (!entries.isEmpty()) {
            // the keys as published before the restart: reloading them changes no sequence number;
            // a file written before sequences were kept starts at the current time in milliseconds
            entries.sort(Comparator.comparing(Entry::signsFrom));
            published = StrictJson.mapper().createArrayNode();
            entries.forEach(e -> published.add(e.key().publicJwk()));
            // the CA as published before the restart (none in a file of an earlier version)
            publishedX509 = authorities == null ? StrictJson.mapper().createArrayNode() : (ArrayNode) authorities;
            sequence = seq == null ? clock.instant().toEpochMilli() : seq.longValue();
            changed();
        }
    }
}
