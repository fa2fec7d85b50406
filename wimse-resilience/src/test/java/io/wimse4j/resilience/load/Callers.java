package io.wimse4j.resilience.load;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.testkit.Fixture;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Calling workloads for the load tests: an Identity Server key (ES256) for trust domain
 * {@code example.org} and {@code n} workloads {@code wimse://example.org/svc/caller-<i>}, each with its
 * own EdDSA key and a WIT issued on {@code clock} (the system clock for sustained load, so that proofs
 * carry real times), valid for an hour.
 */
final class Callers {
    static final TrustDomain TD = new TrustDomain("example.org");

    final WorkloadKeyPair issuerKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    final List<WorkloadIdentifier> ids = new ArrayList<>();
    final List<WorkloadCredentials> credentials = new ArrayList<>();

    Callers(int n, Clock clock) throws WimseException {
        WitIssuer issuer = WitIssuer.builder().signer(issuerKey.signer()).trustDomain(TD).issuer("https://issuer.example.org")
                .clock(clock).defaultTtl(Duration.ofHours(1)).build();
        for (int i = 0; i < n; i++) {
            WorkloadKeyPair key = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
            WorkloadIdentifier id = WorkloadIdentifier.parse(id(i));
            ids.add(id);
            credentials.add(WorkloadCredentials.of(issuer.issue(id, key.publicJwk()).token(), key.signer()));
        }
    }

    static String id(int i) {
        return "wimse://example.org/svc/caller-" + i;
    }

    /** The trust bundle of {@link #TD}: the issuer's public key. */
    TrustBundle bundle() {
        return Fixture.bundle(TD, issuerKey);
    }
}
