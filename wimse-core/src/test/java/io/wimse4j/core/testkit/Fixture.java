package io.wimse4j.core.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.Base64Url;
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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A trust domain with an Identity Server key, one workload with its key and WIT, a fixed clock,
 * and helpers to craft arbitrary (also invalid) tokens for negative tests.
 */
public final class Fixture {
    public static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    public static final String TARGET = "https://api.example.org/orders";

    public final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    public final TrustDomain trustDomain = new TrustDomain("example.org");
    public final WorkloadKeyPair issuerKey;
    public final WorkloadKeyPair workloadKey;
    public final WorkloadIdentifier workload;
    public final String wit;

    public Fixture() {
        this(JwsAlgorithm.ES256, JwsAlgorithm.EdDSA);
    }

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

    public WitIssuer issuer() {
        return WitIssuer.builder().signer(issuerKey.signer()).trustDomain(trustDomain)
                .issuer("https://issuer.example.org").clock(clock).build();
    }

    public TrustBundleSet trust() {
        return TrustBundleSet.of(bundle(trustDomain, issuerKey));
    }

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

    public WorkloadCredentials credentials() {
        try {
            return WorkloadCredentials.of(wit, workloadKey.signer());
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    public WptCreator creator() {
        return WptCreator.create(clock, Duration.ofSeconds(60));
    }

    public String wpt(ProofBindings bindings) {
        return wpt(TARGET, bindings);
    }

    public String wpt(String audience, ProofBindings bindings) {
        try {
            return creator().create(credentials(), audience, bindings);
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    public RequestVerifier.Builder verifier() {
        return RequestVerifier.builder().trust(trust()).clock(clock);
    }

    public HttpRequestFacts.Builder request(String wit, String wpt) {
        return HttpRequestFacts.builder("GET", URI.create(TARGET))
                .header("Workload-Identity-Token", wit).header("Workload-Proof-Token", wpt);
    }

    /** A valid request: the fixture's WIT and a fresh proof with no bindings. */
    public HttpRequestFacts validRequest() {
        return request(wit, wpt(ProofBindings.NONE)).build();
    }

    // ---- crafting arbitrary tokens ----

    public static ObjectNode json(String s) {
        try {
            return StrictJson.parseObject(s, "test JSON");
        } catch (WimseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Signs exactly the given header and payload JSON text with {@code signer}. */
    public static String signRaw(JwsSigner signer, String headerJson, String payloadJson) {
        String input = Base64Url.encode(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64Url.encode(payloadJson.getBytes(StandardCharsets.UTF_8));
        return input + "." + Base64Url.encode(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Default WIT header and claims of this fixture, for editing. */
    public ObjectNode witHeader() {
        ObjectNode h = StrictJson.mapper().createObjectNode();
        h.put("alg", issuerKey.algorithm().jwaName()).put("kid", issuerKey.keyId()).put("typ", "wit+jwt");
        return h;
    }

    public ObjectNode witClaims() {
        ObjectNode c = StrictJson.mapper().createObjectNode();
        c.put("iss", "https://issuer.example.org").put("sub", workload.value())
                .put("iat", NOW.getEpochSecond() - 10).put("exp", NOW.getEpochSecond() + 3600).put("jti", "wit-jti-1");
        c.putObject("cnf").set("jwk", StrictJson.mapper().valueToTree(workloadKey.publicJwk().toMap()));
        return c;
    }

    /** A WIT signed by the issuer key after editing the default header and claims. */
    public String craftWit(Consumer<ObjectNode> header, Consumer<ObjectNode> claims) {
        return craftWit(issuerKey.signer(), header, claims);
    }

    public String craftWit(JwsSigner signer, Consumer<ObjectNode> header, Consumer<ObjectNode> claims) {
        ObjectNode h = witHeader();
        ObjectNode c = witClaims();
        header.accept(h);
        claims.accept(c);
        return signRaw(signer, h.toString(), c.toString());
    }

    public ObjectNode wptHeader() {
        ObjectNode h = StrictJson.mapper().createObjectNode();
        h.put("alg", workloadKey.algorithm().jwaName()).put("typ", "wpt+jwt");
        return h;
    }

    public ObjectNode wptClaims(String forWit) {
        ObjectNode c = StrictJson.mapper().createObjectNode();
        c.put("aud", TARGET).put("iat", NOW.getEpochSecond()).put("exp", NOW.getEpochSecond() + 60)
                .put("jti", "wpt-jti-" + System.nanoTime()).put("wth", Hashes.tokenHash(forWit));
        return c;
    }

    /** A WPT for {@code forWit} signed by the workload key after editing the defaults. */
    public String craftWpt(String forWit, Consumer<ObjectNode> header, Consumer<ObjectNode> claims) {
        return craftWpt(workloadKey.signer(), forWit, header, claims);
    }

    public String craftWpt(JwsSigner signer, String forWit, Consumer<ObjectNode> header, Consumer<ObjectNode> claims) {
        ObjectNode h = wptHeader();
        ObjectNode c = wptClaims(forWit);
        header.accept(h);
        claims.accept(c);
        return signRaw(signer, h.toString(), c.toString());
    }

    public static Consumer<ObjectNode> same() {
        return n -> { };
    }

    /** Flips one bit in the middle of the signature part. */
    public static String flipSignatureBit(String token) {
        int dot = token.lastIndexOf('.');
        byte[] sig = java.util.Base64.getUrlDecoder().decode(token.substring(dot + 1));
        sig[sig.length / 2] ^= 0x01;
        return token.substring(0, dot + 1) + Base64Url.encode(sig);
    }

    // ---- assertions ----

    /** Asserts that {@code call} throws a {@link WimseException} with {@code reason}. */
    public static void assertRejected(ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(WimseException.class,
                e -> assertThat(e.reason()).as("rejection reason (detail: %s)", e.detail()).isEqualTo(reason));
    }

    public static Map<String, Object> map(Object... kv) {
        java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
