package io.wimse4j.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwsSigner;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.jose.SignatureVerifier;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.server.SigningKey;
import io.wimse4j.server.SigningKeyProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One key of the {@link KeyRing}: its signer, its public JWK as published (with {@code kid},
 * {@code alg}, {@code use}), and how {@code keys.json} stores it: the private JWK of a key generated
 * here (KEY-1: the file is owner-only), or the handle and public JWK of a {@link SigningKeyProvider}'s
 * key. A provider's key is taken only when its public JWK is a public signature key with the
 * signer's {@code kid} and {@code alg} and a test signature of the signer verifies with it, so every
 * WIT it signs verifies against the published JWKS (ID-3). Immutable.
 */
final class RingKey {
    /** A provider's signer signs this (and the kid) once when its key is taken; the signature must verify. */
    private static final String PROBE = "wimse4j signing key check ";
    /** JWK members of private or symmetric key material: never published (KEY-1). */
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private final JwsSigner signer;
    private final ObjectNode publicJwk;
    private final Optional<WorkloadKeyPair> local;
    private final Optional<String> handle;

    private RingKey(JwsSigner signer, ObjectNode publicJwk, Optional<WorkloadKeyPair> local, Optional<String> handle) {
        this.signer = signer;
        this.publicJwk = publicJwk;
        this.local = local;
        this.handle = handle;
    }

    /** A key generated here. */
    static RingKey local(WorkloadKeyPair kp) {
        return new RingKey(kp.signer(), StrictJson.mapper().valueToTree(kp.publicJwk().toMap()), Optional.of(kp),
                Optional.empty());
    }

    /**
     * A provider's key, checked (see the class comment); {@code use} {@code sig} is added to its
     * public JWK when missing.
     *
     * @throws UnusableKey when the check fails
     */
    static RingKey provided(SigningKey k, TrustDomain trustDomain) {
        String kid = k.keyId();
        JwsAlgorithm alg = k.signer().algorithm();
        ObjectNode jwk;
        try {
            jwk = StrictJson.parseObject(k.publicJwk(), "public JWK");
        } catch (WimseException e) {
            throw unusable(kid, "its public JWK: " + e.detail());
        }
        for (String member : PRIVATE_MEMBERS) {
            if (jwk.has(member)) {
                throw unusable(kid, "its public JWK carries private member '" + member + "' (KEY-1)");
            }
        }
        if (!jwk.path("kid").isTextual() || !jwk.get("kid").textValue().equals(kid)) {
            throw unusable(kid, "its public JWK must carry the signer's kid");
        }
        if (!jwk.path("alg").isTextual() || !jwk.get("alg").textValue().equals(alg.jwaName())) {
            throw unusable(kid, "its public JWK must carry the signer's alg " + alg.jwaName());
        }
        if (!jwk.has("use")) {
            jwk.put("use", "sig");
        } else if (!"sig".equals(jwk.get("use").asText())) {
            throw unusable(kid, "its public JWK must have use 'sig'");
        }
        List<SignatureVerifier> trusted;
        try {
            trusted = TrustBundle.fromJwks(trustDomain, StrictJson.mapper().writeValueAsString(jwk))
                    .select(alg, Optional.of(kid), true);
        } catch (WimseException e) {
            throw unusable(kid, "its public JWK: " + e.detail());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] probe = (PROBE + kid).getBytes(StandardCharsets.UTF_8);
        byte[] signature = k.signer().sign(probe);
        if (trusted.size() != 1 || !trusted.get(0).verify(probe, 0, probe.length, signature)) {
            throw unusable(kid, "a signature of its signer does not verify with its public JWK");
        }
        return new RingKey(k.signer(), jwk, Optional.empty(), Optional.of(k.handle()));
    }

    /**
     * The provider key {@code stored} in {@code keys.json} ({@code handle}, {@code public_jwk}),
     * asked of the provider again by its handle and checked like a new one; its {@code kid} must be
     * the stored one.
     */
    static RingKey open(JsonNode stored, Optional<SigningKeyProvider> provider, TrustDomain trustDomain) throws IOException {
        String handle = Objects.requireNonNull(stored.get("handle").textValue(), "handle");
        String kid = Objects.requireNonNull(stored.get("public_jwk").get("kid").textValue(), "kid");
        if (provider.isEmpty()) {
            throw new IOException("key " + kid + " in " + KeyRing.FILE
                    + " is held by a signing-key provider, and none is configured");
        }
        SigningKey k;
        try {
            k = provider.get().open(handle);
        } catch (IOException e) {
            throw new IOException("the signing-key provider cannot open key " + kid + " (handle " + handle + ")", e);
        }
        RingKey key = provided(Objects.requireNonNull(k, "the signing-key provider returned no key"), trustDomain);
        if (!key.kid().equals(kid)) {
            throw unusable(key.kid(), "it was opened for handle " + handle + " of key " + kid);
        }
        return key;
    }

    /** The signer. */
    JwsSigner signer() {
        return signer;
    }

    /** The {@code kid}. */
    String kid() {
        return signer.keyId().orElseThrow();
    }

    /** The algorithm. */
    JwsAlgorithm algorithm() {
        return signer.algorithm();
    }

    /** The public JWK as published (a copy). */
    ObjectNode publicJwk() {
        return publicJwk.deepCopy();
    }

    /** Adds how the key is stored to its {@code keys.json} entry. */
    void writeTo(ObjectNode entry) throws IOException {
        if (local.isPresent()) {
            entry.set("jwk", StrictJson.mapper().readTree(local.get().privateJwkJson()));
        } else {
            entry.put("handle", handle.orElseThrow());
            entry.set("public_jwk", publicJwk());
        }
    }

    static UnusableKey unusable(String kid, String why) {
        return new UnusableKey("the signing-key provider's key " + kid + " is unusable: " + why);
    }

    /** A provider handed over a key the ring will not publish. */
    static final class UnusableKey extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        UnusableKey(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {
        return "RingKey[kid=" + kid() + ", " + algorithm() + (local.isPresent() ? ", local" : ", provided") + "]";
    }
}
