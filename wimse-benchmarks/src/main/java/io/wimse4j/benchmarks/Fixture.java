package io.wimse4j.benchmarks;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.WimseHeaders;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.core.wpt.WptTransport;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One issuer (ES256), one workload (EdDSA, Ed25519 or ES256) with a 1-hour WIT, and proofs for one audience,
 * all on a fixed clock so that proofs made at setup stay valid for the whole trial.
 */
final class Fixture {
    static final TrustDomain TRUST_DOMAIN = new TrustDomain("example.org");
    static final String AUDIENCE = "https://service.example.org/api/orders";
    static final URI TARGET = URI.create(AUDIENCE);
    /** Fixed: proofs do not expire during a trial and Caffeine never ages entries out mid-run. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);

    final WorkloadKeyPair issuerKey;
    final WorkloadKeyPair workloadKey;
    final String wit;
    final WorkloadCredentials credentials;
    final TrustBundleSet trust;
    final WptCreator wptCreator;

    Fixture(JwsAlgorithm issuerAlg, JwsAlgorithm workloadAlg) {
        try {
            issuerKey = WorkloadKeyPair.generate(issuerAlg);
            workloadKey = WorkloadKeyPair.generate(workloadAlg);
            WitIssuer issuer = WitIssuer.builder().signer(issuerKey.signer()).trustDomain(TRUST_DOMAIN).clock(CLOCK).build();
            wit = issuer.issue(WorkloadIdentifier.parse("wimse://example.org/a"), workloadKey.publicJwk(),
                    Duration.ofHours(1), Map.of()).token();
            credentials = WorkloadCredentials.of(wit, workloadKey.signer());
            trust = TrustBundleSet.of(TrustBundle.fromJwks(TRUST_DOMAIN,
                    "{\"keys\":[" + issuerKey.publicJwk().toJson() + "]}"));
            wptCreator = WptCreator.create(CLOCK, Duration.ofSeconds(60));
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    String newProof() {
        try {
            return wptCreator.create(credentials, AUDIENCE, ProofBindings.NONE);
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpRequestFacts request(String wpt) {
        return request(wpt, WptTransport.WORKLOAD_PROOF_TOKEN);
    }

    /** A request carrying the WIT and {@code wpt} in {@code transport}. */
    HttpRequestFacts request(String wpt, WptTransport transport) {
        return HttpRequestFacts.builder("GET", TARGET)
                .header("Workload-Identity-Token", wit)
                .header(transport.headerName(), transport.headerValue(wpt))
                .header("Accept", "application/json")
                .build();
    }

    /** {@code n} requests, each with its own fresh proof (distinct {@code jti}), made on all cores. */
    HttpRequestFacts[] requestPool(int n) {
        return requestPool(n, WptTransport.WORKLOAD_PROOF_TOKEN);
    }

    /** {@code n} requests in {@code transport}, each with its own fresh proof, made on all cores. */
    HttpRequestFacts[] requestPool(int n, WptTransport transport) {
        return IntStream.range(0, n).parallel().mapToObj(i -> request(newProof(), transport)).toArray(HttpRequestFacts[]::new);
    }
}
