package io.wimse4j.examples;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitIssuer;

/** The Identity Server's role: issue a WIT binding a workload's public key to its identifier. */
public final class IdentityServerExample {
    private IdentityServerExample() {
    }

    /**
     * What the issuer example produces: the issuer (kept for further issuance), the workload's key
     * pair (which stays with the workload), its WIT, and the JWKS verifiers trust.
     */
    public record Issued(WitIssuer issuer, WorkloadKeyPair workloadKey, String wit, String jwksJson) {
        @Override
        public String toString() {
            return "Issued[" + issuer.trustDomain() + "]"; // never a token or key
        }
    }

    /** Issues a WIT for {@code wimse://example.com/orders}, as in the README. */
    public static Issued issueWit() throws WimseException {
        // tag::issue-wit[]
        WorkloadKeyPair serverKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        WitIssuer issuer = WitIssuer.builder()
                .signer(serverKey.signer())
                .trustDomain(new TrustDomain("example.com"))
                .issuer("https://wimse.example.com")
                .build();

        // the workload's public key (it keeps the private part; a new key per WIT, KEY-4)
        WorkloadKeyPair workloadKey = WorkloadKeyPair.generate(JwsAlgorithm.EdDSA);
        String wit = issuer.issue(WorkloadIdentifier.parse("wimse://example.com/orders"),
                                  workloadKey.publicJwk()).token();

        // publish the server's public keys for verifiers, as a JWKS
        String jwksJson = "{\"keys\":[" + serverKey.publicJwk().toJson() + "]}";
        // end::issue-wit[]
        return new Issued(issuer, workloadKey, wit, jwksJson);
    }
}
