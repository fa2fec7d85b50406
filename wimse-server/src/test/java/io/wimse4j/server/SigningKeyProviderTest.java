package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwsSigner;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.VerifiedWit;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.server.testing.ServerHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.wimse4j.server.IssuanceTest.assertProblem;
import static io.wimse4j.server.RotationTest.kidOf;
import static io.wimse4j.server.testing.ServerHarness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The signing seam ({@link SigningKeyProvider}): WITs are signed by the provider's {@link JwsSigner}
 * (a real signer over a core key pair that counts its signatures, standing in for a KMS), verify
 * through the published JWKS (ID-3, WIT-1), keep the rotation schedule, survive a restart through
 * the key's handle, never leave private key material in {@code keys.json} (KEY-1), and an unusable
 * key is refused before it is published.
 */
class SigningKeyProviderTest {
    static final String SVC = "wimse://example.org/svc";

    /** A real signer over a core key pair, counting its signatures. */
    static final class CountingSigner implements JwsSigner {
        private final JwsSigner delegate;
        final AtomicInteger signatures = new AtomicInteger();

        CountingSigner(JwsSigner delegate) {
            this.delegate = delegate;
        }

        @Override
        public JwsAlgorithm algorithm() {
            return delegate.algorithm();
        }

        @Override
        public Optional<String> keyId() {
            return delegate.keyId();
        }

        @Override
        public byte[] sign(byte[] signingInput) {
            signatures.incrementAndGet();
            return delegate.sign(signingInput);
        }
    }

    /** Stands in for a KMS: key pairs kept by handle (across server restarts), signers handed out that count. */
    static final class InMemoryKms implements SigningKeyProvider {
        final Map<String, WorkloadKeyPair> keys = new ConcurrentHashMap<>();
        final Map<String, CountingSigner> signersByKid = new ConcurrentHashMap<>();
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger opened = new AtomicInteger();

        @Override
        public SigningKey create(JwsAlgorithm algorithm) {
            String handle = "projects/test/keyRings/wimse/cryptoKeys/wit/versions/" + created.incrementAndGet();
            keys.put(handle, WorkloadKeyPair.generate(algorithm));
            return handOut(handle);
        }

        @Override
        public SigningKey open(String handle) throws IOException {
            if (!keys.containsKey(handle)) {
                throw new IOException("no key version " + handle);
            }
            opened.incrementAndGet();
            return handOut(handle);
        }

        private SigningKey handOut(String handle) {
            WorkloadKeyPair kp = keys.get(handle);
            CountingSigner signer = new CountingSigner(kp.signer());
            signersByKid.put(kp.keyId(), signer);
            return SigningKey.of(handle, signer, kp.publicJwk().toJson());
        }

        int signatures(String kid) {
            return signersByKid.get(kid).signatures.get();
        }
    }

    @TempDir
    Path tmp;
    ServerHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    ServerHarness start(SigningKeyProvider provider) throws Exception {
        h = new ServerHarness(tmp.resolve("state"), b -> { }, null, sb -> sb.signingKeys(provider));
        return h;
    }

    List<String> publishedKids() throws Exception {
        List<String> kids = new ArrayList<>();
        json(h.get("/.well-known/jwks.json").body()).get("keys").forEach(k -> kids.add(k.get("kid").textValue()));
        return kids;
    }

    String issue() throws Exception {
        HttpResponse<String> r = h.issueWithJoinToken(WorkloadKeyPair.generate(JwsAlgorithm.EdDSA), h.joinToken(SVC));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body()).get("wit").textValue();
    }

    VerifiedWit verifyThroughServedJwks(String wit) throws Exception {
        TrustBundle bundle = TrustBundle.fromJwks(new TrustDomain("example.org"), h.get("/.well-known/jwks.json").body());
        return WitVerifier.builder().trust(TrustBundleSet.of(bundle)).clock(h.clock).build().verify(wit);
    }

    JsonNode keysFile() throws Exception {
        return json(Files.readString(h.stateDir.resolve("keys.json")));
    }

    @Test
    void witsAreSignedThroughTheProvidersSignerAndVerifyThroughTheJwks() throws Exception {
        InMemoryKms kms = new InMemoryKms();
        start(kms).register(SVC, "\"join_token\",\"wit\"", null);
        String kid = publishedKids().get(0);
        assertThat(kms.created).hasValue(1);
        // taking the key cost one test signature
        assertThat(kms.signatures(kid)).isEqualTo(1);

        for (int i = 1; i <= 3; i++) {
            String wit = issue();
            assertThat(kidOf(wit)).isEqualTo(kid);
            VerifiedWit v = verifyThroughServedJwks(wit);
            assertThat(v.subject().value()).isEqualTo(SVC);
            assertThat(kms.signatures(kid)).isEqualTo(1 + i);
        }

        // the JWKS publishes the provider's public JWK, with use sig
        JsonNode published = json(h.get("/.well-known/jwks.json").body()).get("keys").get(0);
        assertThat(published.get("alg").textValue()).isEqualTo("ES256");
        assertThat(published.get("use").textValue()).isEqualTo("sig");
        // KEY-1: keys.json holds the handle and the public JWK, no private key
        JsonNode stored = keysFile().get("keys").get(0);
        assertThat(stored.get("handle").textValue()).isEqualTo("projects/test/keyRings/wimse/cryptoKeys/wit/versions/1");
        assertThat(stored.has("jwk")).isFalse();
        assertThat(stored.get("public_jwk").get("kid").textValue()).isEqualTo(kid);
        assertThat(stored.get("public_jwk").has("d")).isFalse();
    }

    @Test
    void rotationAsksTheProviderForTheNextKeyAndKeepsPublishAheadAndRetirement() throws Exception {
        InMemoryKms kms = new InMemoryKms();
        start(kms).register(SVC, "\"join_token\",\"wit\"", null);
        String oldKid = publishedKids().get(0);
        String newKid = json(h.admin("POST", "/admin/v1/keys/rotate", null).body()).get("kid").textValue();
        assertThat(kms.created).hasValue(2);
        assertThat(publishedKids()).containsExactly(oldKid, newKid);

        // published ahead: the old key still signs for the publish-ahead (the JWKS max-age, 300 s)
        h.clock.advance(Duration.ofSeconds(299));
        assertThat(kidOf(issue())).isEqualTo(oldKid);
        assertThat(kms.signatures(newKid)).isEqualTo(1);

        h.clock.advance(Duration.ofSeconds(1));
        String wit = issue();
        assertThat(kidOf(wit)).isEqualTo(newKid);
        assertThat(kms.signatures(newKid)).isEqualTo(2);
        assertThat(verifyThroughServedJwks(wit).subject().value()).isEqualTo(SVC);

        // retired after its last signature + max WIT lifetime (10 min) + leeway (60 s)
        h.clock.advance(Duration.ofSeconds(659));
        assertThat(publishedKids()).containsExactly(oldKid, newKid);
        h.clock.advance(Duration.ofSeconds(1));
        assertThat(publishedKids()).containsExactly(newKid);
        assertThat(keysFile().get("keys")).hasSize(1);
    }

    @Test
    void aRestartOpensTheProvidersKeysAgainByTheirHandles() throws Exception {
        InMemoryKms kms = new InMemoryKms();
        start(kms).register(SVC, "\"join_token\",\"wit\"", null);
        String kid = publishedKids().get(0);
        String before = issue();

        h.restart();
        assertThat(kms.created).hasValue(1);
        assertThat(kms.opened).hasValue(1);
        assertThat(publishedKids()).containsExactly(kid);
        String after = issue();
        assertThat(kidOf(after)).isEqualTo(kid);
        // the reopened signer: its test signature and this WIT
        assertThat(kms.signatures(kid)).isEqualTo(2);
        assertThat(verifyThroughServedJwks(before).subject().value()).isEqualTo(SVC);
        assertThat(verifyThroughServedJwks(after).subject().value()).isEqualTo(SVC);
    }

    @Test
    void aStateDirectoryWithProviderKeysDoesNotStartWithoutTheProvider() throws Exception {
        start(new InMemoryKms());
        h.close();
        h = null;
        assertThatThrownBy(() -> new ServerHarness(tmp.resolve("state")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is held by a signing-key provider, and none is configured");
    }

    @Test
    void aProviderSetOnAnExistingStateDirectorySignsFromTheNextRotation() throws Exception {
        h = new ServerHarness(tmp.resolve("state"));
        h.register(SVC, "\"join_token\",\"wit\"", null);
        String localKid = publishedKids().get(0);
        h.close();

        InMemoryKms kms = new InMemoryKms();
        start(kms);
        assertThat(kidOf(issue())).isEqualTo(localKid);
        assertThat(kms.created).hasValue(0);
        String kmsKid = json(h.admin("POST", "/admin/v1/keys/rotate", null).body()).get("kid").textValue();
        h.clock.advance(Duration.ofSeconds(300));
        assertThat(kidOf(issue())).isEqualTo(kmsKid);
        assertThat(kms.signatures(kmsKid)).isEqualTo(2);
    }

    /** A signer announcing {@code kid} instead of its key pair's. */
    record KidSigner(JwsSigner delegate, String kid) implements JwsSigner {
        @Override
        public JwsAlgorithm algorithm() {
            return delegate.algorithm();
        }

        @Override
        public Optional<String> keyId() {
            return Optional.of(kid);
        }

        @Override
        public byte[] sign(byte[] signingInput) {
            return delegate.sign(signingInput);
        }
    }

    /**
     * A provider that names its keys after two alternating slots (a KMS key name without its
     * version, say): a kid comes back once the key that had it has been retired and removed. The
     * server must then sign with the new key of that kid, never again with the removed one.
     */
    @Test
    void aKidReusedAfterItsKeyWasRemovedSignsWithTheNewKeyNotTheRemovedOne() throws Exception {
        Map<String, WorkloadKeyPair> byHandle = new ConcurrentHashMap<>();
        AtomicInteger created = new AtomicInteger();
        SigningKeyProvider slots = new SigningKeyProvider() {
            @Override
            public SigningKey create(JwsAlgorithm algorithm) {
                String handle = "slot/" + created.incrementAndGet();
                byHandle.put(handle, WorkloadKeyPair.generate(algorithm));
                return open(handle);
            }

            @Override
            public SigningKey open(String handle) {
                String kid = Integer.parseInt(handle.substring("slot/".length())) % 2 == 1 ? "slot-a" : "slot-b";
                WorkloadKeyPair kp = byHandle.get(handle);
                return SigningKey.of(handle, new KidSigner(kp.signer(), kid), withMember(kp, "kid", kid));
            }
        };
        start(slots).register(SVC, "\"join_token\",\"wit\"", null);
        assertThat(kidOf(issue())).isEqualTo("slot-a");                                   // key 1

        assertThat(h.server().rotateKeys()).isEqualTo("slot-b");                          // key 2
        h.clock.advance(Duration.ofSeconds(300 + 660));                                   // key 1 retired and removed
        h.server().maintainKeys();
        assertThat(publishedKids()).containsExactly("slot-b");
        assertThat(h.server().rotateKeys()).isEqualTo("slot-a");                          // key 3, key 1's kid
        h.clock.advance(Duration.ofSeconds(300));                                         // key 3 signs

        String wit = issue();
        assertThat(kidOf(wit)).isEqualTo("slot-a");
        // signed by key 3 (the published slot-a), not by the removed key 1
        assertThat(verifyThroughServedJwks(wit).subject().value()).isEqualTo(SVC);
    }

    /** A provider handing out one fixed key, made from a fresh ES256 key pair by {@code make}. */
    record FixedKey(Function<WorkloadKeyPair, SigningKey> make) implements SigningKeyProvider {
        @Override
        public SigningKey create(JwsAlgorithm algorithm) {
            return make.apply(WorkloadKeyPair.generate(JwsAlgorithm.ES256));
        }

        @Override
        public SigningKey open(String handle) {
            throw new UnsupportedOperationException();
        }
    }

    static String withMember(WorkloadKeyPair kp, String member, String value) {
        try {
            ObjectNode jwk = StrictJson.parseObject(kp.publicJwk().toJson(), "jwk");
            jwk.put(member, value);
            return StrictJson.mapper().writeValueAsString(jwk);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Stream<Arguments> unusableKeys() {
        WorkloadKeyPair other = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        return Stream.of(
                Arguments.of("another key's public JWK",
                        (Function<WorkloadKeyPair, SigningKey>) kp -> SigningKey.of("h", kp.signer(), other.publicJwk().toJson()),
                        "must carry the signer's kid"),
                Arguments.of("another key's public JWK under this kid",
                        (Function<WorkloadKeyPair, SigningKey>) kp -> SigningKey.of("h", kp.signer(), withMember(other, "kid", kp.keyId())),
                        "a signature of its signer does not verify with its public JWK"),
                Arguments.of("another alg than the signer's",
                        (Function<WorkloadKeyPair, SigningKey>) kp -> SigningKey.of("h", kp.signer(), withMember(kp, "alg", "ES384")),
                        "must carry the signer's alg ES256"),
                Arguments.of("the private JWK",
                        (Function<WorkloadKeyPair, SigningKey>) kp -> SigningKey.of("h", kp.signer(), kp.privateJwkJson()),
                        "carries private member 'd' (KEY-1)"),
                Arguments.of("an encryption key",
                        (Function<WorkloadKeyPair, SigningKey>) kp -> SigningKey.of("h", kp.signer(), withMember(kp, "use", "enc")),
                        "must have use 'sig'"),
                Arguments.of("not JSON",
                        (Function<WorkloadKeyPair, SigningKey>) kp -> SigningKey.of("h", kp.signer(), "{\"kty\":"),
                        "its public JWK: "),
                Arguments.of("another algorithm than the configured one",
                        (Function<WorkloadKeyPair, SigningKey>) kp -> {
                            WorkloadKeyPair ed = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
                            return SigningKey.of("h", ed.signer(), ed.publicJwk().toJson());
                        },
                        "it signs with EdDSA, not the configured ES256"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableKeys")
    void anUnusableKeyIsRefusedBeforeAnythingIsPublished(String name, Function<WorkloadKeyPair, SigningKey> make,
                                                         String reason) {
        assertThatThrownBy(() -> start(new FixedKey(make)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is unusable: ")
                .hasMessageContaining(reason);
        assertThat(tmp.resolve("state").resolve("keys.json")).doesNotExist();
    }

    @Test
    void anUnusableKeyAtRotationChangesNothing() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        InMemoryKms kms = new InMemoryKms();
        SigningKeyProvider breaksOnRotation = new SigningKeyProvider() {
            @Override
            public SigningKey create(JwsAlgorithm algorithm) throws IOException {
                if (calls.incrementAndGet() == 1) {
                    return kms.create(algorithm);
                }
                WorkloadKeyPair kp = WorkloadKeyPair.generate(algorithm);
                return SigningKey.of("h2", kp.signer(), WorkloadKeyPair.generate(algorithm).publicJwk().toJson());
            }

            @Override
            public SigningKey open(String handle) throws IOException {
                return kms.open(handle);
            }
        };
        start(breaksOnRotation);
        String jwks = h.get("/.well-known/jwks.json").body();
        assertProblem(h.admin("POST", "/admin/v1/keys/rotate", null), 500, "internal-error");
        assertThat(h.get("/.well-known/jwks.json").body()).isEqualTo(jwks);
        assertThat(keysFile().get("keys")).hasSize(1);
    }

    static Stream<Arguments> badSigningKeyParts() {
        WorkloadKeyPair kp = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        JwsSigner noKid = new JwsSigner() {
            @Override
            public JwsAlgorithm algorithm() {
                return JwsAlgorithm.ES256;
            }

            @Override
            public Optional<String> keyId() {
                return Optional.empty();
            }

            @Override
            public byte[] sign(byte[] signingInput) {
                return kp.signer().sign(signingInput);
            }
        };
        String pub = kp.publicJwk().toJson();
        return Stream.of(
                Arguments.of("empty handle", "", kp.signer(), "1 to 1024 printable ASCII characters"),
                Arguments.of("handle too long", "h".repeat(SigningKey.MAX_HANDLE_LENGTH + 1), kp.signer(),
                        "1 to 1024 printable ASCII characters"),
                Arguments.of("handle with a line break", "a\nb", kp.signer(), "1 to 1024 printable ASCII characters"),
                Arguments.of("signer without kid", "h", noKid, "must carry a kid"))
                .map(a -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], pub, a.get()[3]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSigningKeyParts")
    void aSigningKeyIsRefusedWhenItsPartsAreUnusable(String name, String handle, JwsSigner signer, String publicJwk,
                                                     String reason) {
        assertThatThrownBy(() -> SigningKey.of(handle, signer, publicJwk))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
