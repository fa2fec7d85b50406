package io.wimse4j.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwsSigner;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import org.assertj.core.api.ThrowableAssert;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A trust domain ({@code example.org}) with an Identity Server key, one workload
 * ({@code wimse://example.org/svc/caller}) with its key and WIT, a clock fixed at {@link #NOW},
 * and helpers to craft arbitrary (also invalid) tokens for negative tests.
 * <strong>A test helper, never for production code</strong>: its keys are generated per instance
 * and kept in memory, and the crafting helpers sign whatever they are given.
 *
 * <p>The fields are final; each instance has its own fresh keys. {@link #assertRejected} needs
 * {@code assertj-core} on the test class path (an optional dependency of this module).
 */
public final class Fixture {
    /** The instant of the fixture's clock; its WIT and default proofs are valid then. */
    public static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    /** The target URI of the fixture's requests and the audience of its proofs. */
    public static final String TARGET = "https://api.example.org/orders";

    /** A clock fixed at {@link #NOW}, in UTC. */
    public final Clock clock = fixedClock();
    /** The trust domain {@code example.org}. */
    public final TrustDomain trustDomain = new TrustDomain("example.org");
    /** The Identity Server's key, which signs the WIT. */
    public final WorkloadKeyPair issuerKey;
    /** The workload's key, bound to the WIT ({@code cnf.jwk}) and signing its proofs. */
    public final WorkloadKeyPair workloadKey;
    /** The workload's identifier, {@code wimse://example.org/svc/caller}. */
    public final WorkloadIdentifier workload;
    /** The workload's WIT, issued at {@link #NOW} by {@link #issuer()}. */
    public final String wit;

    /** A fixture with an ES256 Identity Server key and an EdDSA workload key. */
    public Fixture() {
        this(JwsAlgorithm.ES256, JwsAlgorithm.EdDSA);
    }

    /**
     * A fixture with freshly generated keys of the given algorithms.
     *
     * @param issuerAlg   the Identity Server key's algorithm
     * @param workloadAlg the workload key's algorithm
     */
    public Fixture(JwsAlgorithm issuerAlg, JwsAlgorithm workloadAlg) {
        try {
            issuerKey = WorkloadKeyPair.generate(issuerAlg);
            workloadKey = WorkloadKeyPair.generate(workloadAlg);
            workload = WorkloadIdentifier.parse("wimse://example.org/svc/caller");
            wit = issuer().issue(workload, workloadKey.publicJwk()).token();
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A clock fixed at {@link #NOW}, in UTC, for tests that need the fixture's instant without
     * its keys.
     *
     * @return a fixed clock
     */
    public static Clock fixedClock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    /**
     * The Identity Server: signs with {@link #issuerKey} for {@link #trustDomain} on {@link #clock},
     * issuer {@code https://issuer.example.org}.
     *
     * @return a new issuer
     */
    public WitIssuer issuer() {
        return WitIssuer.builder().signer(issuerKey.signer()).trustDomain(trustDomain)
                .issuer("https://issuer.example.org").clock(clock).build();
    }

    /**
     * The verifier's trust: {@link #trustDomain} with {@link #issuerKey}'s public key.
     *
     * @return a new trust bundle set
     */
    public TrustBundleSet trust() {
        return TrustBundleSet.of(bundle(trustDomain, issuerKey));
    }

    /**
     * A trust bundle for {@code td} with the public keys of {@code keys}.
     *
     * @param td   the trust domain
     * @param keys the keys whose public JWKs form the bundle's JWKS
     * @return the bundle
     */
    public static TrustBundle bundle(TrustDomain td, WorkloadKeyPair... keys) {
        StringBuilder sb = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < keys.length; i++) {
            sb.append(i == 0 ? "" : ",").append(keys[i].publicJwk().toJson());
        }
        try {
            return TrustBundle.fromJwks(td, sb.append("]}").toString());
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The workload's credentials: {@link #wit} with {@link #workloadKey}'s signer.
     *
     * @return new credentials
     */
    public WorkloadCredentials credentials() {
        try {
            return WorkloadCredentials.of(wit, workloadKey.signer());
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A proof creator on {@link #clock}, proofs valid for 60 seconds.
     *
     * @return a new creator
     */
    public WptCreator creator() {
        return WptCreator.create(clock, Duration.ofSeconds(60));
    }

    /**
     * A fresh proof for {@link #TARGET}.
     *
     * @param bindings what the proof binds besides the WIT
     * @return the WPT
     */
    public String wpt(ProofBindings bindings) {
        return wpt(TARGET, bindings);
    }

    /**
     * A fresh proof for {@code audience}.
     *
     * @param audience the proof's {@code aud}
     * @param bindings what the proof binds besides the WIT
     * @return the WPT
     */
    public String wpt(String audience, ProofBindings bindings) {
        try {
            return creator().create(credentials(), audience, bindings);
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A request verifier builder with {@link #trust()} and {@link #clock}, for further settings.
     *
     * @return a new builder
     */
    public RequestVerifier.Builder verifier() {
        return RequestVerifier.builder().trust(trust()).clock(clock);
    }

    /**
     * A {@code GET} of {@link #TARGET} carrying the given tokens.
     *
     * @param wit the {@code Workload-Identity-Token} header
     * @param wpt the {@code Workload-Proof-Token} header
     * @return a new builder, for more headers
     */
    public HttpRequestFacts.Builder request(String wit, String wpt) {
        return HttpRequestFacts.builder("GET", URI.create(TARGET))
                .header("Workload-Identity-Token", wit).header("Workload-Proof-Token", wpt);
    }

    /**
     * A valid request: the fixture's WIT and a fresh proof with no bindings.
     *
     * @return the request's facts
     */
    public HttpRequestFacts validRequest() {
        return request(wit, wpt(ProofBindings.NONE)).build();
    }

    // ---- crafting arbitrary tokens ----

    /**
     * Parses a JSON object, strictly (as wimse4j parses tokens).
     *
     * @param s the JSON text of an object
     * @return the object, mutable
     * @throws IllegalArgumentException if {@code s} is not a JSON object
     */
    public static ObjectNode json(String s) {
        try {
            return StrictJson.parseObject(s, "test JSON");
        } catch (WimseException e) {
            throw new IllegalArgumentException(e);
        }
    }


    /**
     * The default WIT header of this fixture ({@code alg}, {@code kid}, {@code typ}), for editing.
     *
     * @return a new, mutable header
     */
    public ObjectNode witHeader() {
        ObjectNode h = StrictJson.mapper().createObjectNode();
        h.put("alg", issuerKey.algorithm().jwaName()).put("kid", issuerKey.keyId()).put("typ", "wit+jwt");
        return h;
    }

    /**
     * The default WIT claims of this fixture ({@code iss}, {@code sub}, {@code iat}, {@code exp},
     * {@code jti}, {@code cnf.jwk}), for editing.
     *
     * @return new, mutable claims
     */
    public ObjectNode witClaims() {
        ObjectNode c = StrictJson.mapper().createObjectNode();
        c.put("iss", "https://issuer.example.org").put("sub", workload.value())
                .put("iat", NOW.getEpochSecond() - 10).put("exp", NOW.getEpochSecond() + 3600).put("jti", "wit-jti-1");
        c.putObject("cnf").set("jwk", StrictJson.mapper().valueToTree(workloadKey.publicJwk().toMap()));
        return c;
    }

    /**
     * A WIT signed by the issuer key after editing the default header and claims.
     *
     * @param header edits the default header ({@link #same()} for none)
     * @param claims edits the default claims ({@link #same()} for none)
     * @return the compact WIT
     */
    public String craftWit(Consumer<ObjectNode> header, Consumer<ObjectNode> claims) {
        return craftWit(issuerKey.signer(), header, claims);
    }

    /**
     * A WIT signed by {@code signer} after editing the default header and claims.
     *
     * @param signer the key to sign with
     * @param header edits the default header
     * @param claims edits the default claims
     * @return the compact WIT
     */
    public String craftWit(JwsSigner signer, Consumer<ObjectNode> header, Consumer<ObjectNode> claims) {
        ObjectNode h = witHeader();
        ObjectNode c = witClaims();
        header.accept(h);
        claims.accept(c);
        return RawJws.signRaw(signer, h.toString(), c.toString());
    }

    /**
     * The default WPT header of this fixture ({@code alg}, {@code typ}), for editing.
     *
     * @return a new, mutable header
     */
    public ObjectNode wptHeader() {
        ObjectNode h = StrictJson.mapper().createObjectNode();
        h.put("alg", workloadKey.algorithm().jwaName()).put("typ", "wpt+jwt");
        return h;
    }

    /**
     * The default WPT claims for {@code forWit} ({@code aud}, {@code iat}, {@code exp}, a unique
     * {@code jti}, {@code wth}), for editing.
     *
     * @param forWit the WIT the proof's {@code wth} hashes
     * @return new, mutable claims
     */
    public ObjectNode wptClaims(String forWit) {
        ObjectNode c = StrictJson.mapper().createObjectNode();
        c.put("aud", TARGET).put("iat", NOW.getEpochSecond()).put("exp", NOW.getEpochSecond() + 60)
                .put("jti", "wpt-jti-" + System.nanoTime()).put("wth", Hashes.tokenHash(forWit));
        return c;
    }

    /**
     * A WPT for {@code forWit} signed by the workload key after editing the defaults.
     *
     * @param forWit the WIT the proof is for
     * @param header edits the default header
     * @param claims edits the default claims
     * @return the compact WPT
     */
    public String craftWpt(String forWit, Consumer<ObjectNode> header, Consumer<ObjectNode> claims) {
        return craftWpt(workloadKey.signer(), forWit, header, claims);
    }

    /**
     * A WPT for {@code forWit} signed by {@code signer} after editing the defaults.
     *
     * @param signer the key to sign with
     * @param forWit the WIT the proof is for
     * @param header edits the default header
     * @param claims edits the default claims
     * @return the compact WPT
     */
    public String craftWpt(JwsSigner signer, String forWit, Consumer<ObjectNode> header, Consumer<ObjectNode> claims) {
        ObjectNode h = wptHeader();
        ObjectNode c = wptClaims(forWit);
        header.accept(h);
        claims.accept(c);
        return RawJws.signRaw(signer, h.toString(), c.toString());
    }

    /**
     * The edit that changes nothing.
     *
     * @return a no-op edit
     */
    public static Consumer<ObjectNode> same() {
        return n -> { };
    }






    // ---- assertions ----

    /**
     * Asserts that {@code call} throws a {@link WimseException} with {@code reason} (AssertJ).
     *
     * @param call   the call expected to be rejected
     * @param reason the expected reason
     */
    public static void assertRejected(ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(WimseException.class,
                e -> assertThat(e.reason()).as("rejection reason (detail: %s)", e.detail()).isEqualTo(reason));
    }

    /**
     * An insertion-ordered map from alternating keys and values.
     *
     * @param kv {@code key1, value1, key2, value2, ...}, keys being strings
     * @return a new, mutable map
     */
    public static Map<String, Object> map(Object... kv) {
        java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
