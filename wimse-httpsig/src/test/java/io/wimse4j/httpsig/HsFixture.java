package io.wimse4j.httpsig;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwsSigner;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.httpsig.internal.SignatureBase;
import io.wimse4j.httpsig.sfv.BareItem;
import io.wimse4j.httpsig.sfv.InnerList;
import io.wimse4j.httpsig.sfv.Parameters;
import io.wimse4j.httpsig.sfv.SfDictionary;
import io.wimse4j.httpsig.sfv.StructuredFieldException;
import io.wimse4j.httpsig.sfv.StructuredFields;
import org.assertj.core.api.ThrowableAssert;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A trust domain ({@code example.org}) whose Identity Server key (ES256, fresh per instance) issues real
 * WITs at {@link #NOW}; workloads with keys of any proof algorithm; signers and verifiers on fixed clocks;
 * and helpers that sign arbitrary (also wrong) signature inputs with a real key, for the refusals the
 * signer never produces. Tests only.
 */
final class HsFixture {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final TrustDomain DOMAIN = new TrustDomain("example.org");
    static final String TARGET = "https://api.example.org/orders/7?expand=items";
    static final String TARGET_AUDIENCE = "https://api.example.org/orders/7";

    final WorkloadKeyPair issuerKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    final Clock clock = clockAt(0);

    /** A workload with its key, a WIT issued for that key, and the credentials pairing them. */
    record Workload(WorkloadIdentifier id, WorkloadKeyPair key, String wit, WorkloadCredentials credentials) {
        CredentialSource source() {
            return CredentialSource.fixed(credentials);
        }

        @Override
        public String toString() {
            return id.value();
        }
    }

    /** A workload {@code wimse://example.org/<path>} with a fresh {@code alg} key and a one-hour WIT. */
    Workload workload(String path, JwsAlgorithm alg) {
        return workload(path, alg, Duration.ofHours(1));
    }

    /** A workload whose WIT, issued at {@link #NOW}, lives {@code ttl}. */
    Workload workload(String path, JwsAlgorithm alg, Duration ttl) {
        try {
            WorkloadKeyPair key = WorkloadKeyPair.generate(alg);
            WorkloadIdentifier id = WorkloadIdentifier.parse("wimse://example.org/" + path);
            String wit = issuer().issue(id, key.publicJwk(), ttl, Map.of()).token();
            return new Workload(id, key, wit, WorkloadCredentials.of(wit, key.signer()));
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    WitIssuer issuer() {
        return WitIssuer.builder().signer(issuerKey.signer()).trustDomain(DOMAIN).issuer("https://issuer.example.org")
                .clock(clock).build();
    }

    /** The verifier's trust: {@link #DOMAIN} with the issuer's public key. */
    TrustBundleSet trust() {
        try {
            return TrustBundleSet.of(TrustBundle.fromJwks(DOMAIN, "{\"keys\":[" + issuerKey.publicJwk().toJson() + "]}"));
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpSignatureSigner.Builder signer(Workload w) {
        return HttpSignatureSigner.builder(w.source()).clock(clock);
    }

    /** A verifier builder trusting {@link #trust()}, its clock {@code seconds} after {@link #NOW}. */
    HttpSignatureVerifier.Builder verifier(long seconds) {
        return HttpSignatureVerifier.builder().trust(trust()).clock(clockAt(seconds));
    }

    HttpSignatureVerifier.Builder verifier() {
        return verifier(2);
    }

    static Clock clockAt(long secondsAfterNow) {
        return Clock.fixed(NOW.plusSeconds(secondsAfterNow), ZoneOffset.UTC);
    }

    static HttpRequestFacts.Builder request(String method, String uri) {
        return HttpRequestFacts.builder(method, URI.create(uri));
    }

    static HttpRequestFacts get() {
        return request("GET", TARGET).build();
    }

    /** {@code facts} with every value of {@code name} removed and {@code values} added under it. */
    static HttpRequestFacts replace(HttpRequestFacts facts, String name, String... values) {
        HttpRequestFacts.Builder b = HttpRequestFacts.builder(facts.method(), facts.targetUri());
        facts.headers().forEach((n, vs) -> {
            if (!n.equalsIgnoreCase(name)) {
                vs.forEach(v -> b.header(n, v));
            }
        });
        for (String v : values) {
            b.header(name, v);
        }
        return b.build();
    }

    /** {@code facts} with one more value of {@code name}. */
    static HttpRequestFacts add(HttpRequestFacts facts, String name, String value) {
        HttpRequestFacts.Builder b = HttpRequestFacts.builder(facts.method(), facts.targetUri());
        facts.headers().forEach((n, vs) -> vs.forEach(v -> b.header(n, v)));
        return b.header(name, value).build();
    }

    static HttpResponseFacts response(int status, Map<String, String> headers, Map<String, String> added) {
        HttpResponseFacts.Builder b = HttpResponseFacts.builder(status);
        headers.forEach(b::header);
        added.forEach(b::header);
        return b.build();
    }

    /** The signature parameters a signer wrote under {@code label}. */
    static Parameters parameters(Map<String, String> headers, String label) {
        return input(headers, label).parameters();
    }

    static InnerList input(Map<String, String> headers, String label) {
        try {
            SfDictionary d = StructuredFields.parseDictionary(headers.get(HttpSignatures.SIGNATURE_INPUT));
            return (InnerList) d.get(label).orElseThrow();
        } catch (StructuredFieldException e) {
            throw new AssertionError(e);
        }
    }

    static Optional<BareItem> parameter(RequestSignature s, String name) {
        return parameters(s.headers(), HttpSignatures.DEFAULT_LABEL).get(name);
    }

    /**
     * The request signature parameters wimse4j would write, with the given nonce, times and audience, as the
     * text of an inner list covering {@code @method @path @query} and the WIT.
     */
    static String standardInput(String nonce, long created, long expires, String audience) {
        return "(\"@method\" \"@path\" \"@query\" \"workload-identity-token\");created=" + created + ";expires=" + expires
                + ";nonce=\"" + nonce + "\";tag=\"" + HttpSignatures.TAG + "\";wimse-aud=\"" + audience + "\"";
    }

    /** {@link #standardInput} at {@link #NOW}, 60 s, for {@link #TARGET_AUDIENCE}. */
    static String standardInput(String nonce) {
        return standardInput(nonce, NOW.getEpochSecond(), NOW.getEpochSecond() + 60, TARGET_AUDIENCE);
    }

    /**
     * {@code unsigned} with {@code wit} and a signature under {@code label} over {@code innerList} (the text of
     * a Signature-Input member) made by {@code signer}: a real signature over the real signature base, whatever
     * the input says.
     */
    static HttpRequestFacts craft(HttpRequestFacts unsigned, String wit, String label, String innerList, JwsSigner signer) {
        HttpRequestFacts withWit = wit == null ? unsigned : add(unsigned, HttpSignatures.WORKLOAD_IDENTITY_TOKEN, wit);
        try {
            InnerList input = (InnerList) StructuredFields.parseDictionary(label + "=" + innerList).get(label).orElseThrow();
            byte[] signature = signer.sign(SignatureBase.of(input, withWit, null));
            HttpRequestFacts withInput = add(withWit, HttpSignatures.SIGNATURE_INPUT, label + "=" + innerList);
            return add(withInput, HttpSignatures.SIGNATURE, label + "=:" + Base64.getEncoder().encodeToString(signature) + ":");
        } catch (StructuredFieldException | WimseException e) {
            throw new AssertionError(e);
        }
    }

    /** A response to {@code request} signed over {@code innerList} by {@code signer}, carrying {@code wit}. */
    static HttpResponseFacts craftResponse(HttpRequestFacts request, int status, String wit, String innerList, JwsSigner signer) {
        HttpResponseFacts unsigned = response(status, Map.of(HttpSignatures.WORKLOAD_IDENTITY_TOKEN, wit), Map.of());
        try {
            InnerList input = (InnerList) StructuredFields.parseDictionary("wimse=" + innerList).get("wimse").orElseThrow();
            byte[] signature = signer.sign(SignatureBase.of(input, request, unsigned));
            return response(status, Map.of(HttpSignatures.WORKLOAD_IDENTITY_TOKEN, wit), Map.of(
                    HttpSignatures.SIGNATURE_INPUT, "wimse=" + innerList,
                    HttpSignatures.SIGNATURE, "wimse=:" + Base64.getEncoder().encodeToString(signature) + ":"));
        } catch (StructuredFieldException | WimseException e) {
            throw new AssertionError(e);
        }
    }

    static void assertRejected(ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(WimseException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.reason()).as(e.detail()).isEqualTo(reason));
    }

    static List<String> covered(Map<String, String> headers, String label) {
        return input(headers, label).items().stream().map(StructuredFields::serialize).toList();
    }
}
