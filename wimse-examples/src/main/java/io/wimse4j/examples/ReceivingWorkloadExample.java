package io.wimse4j.examples;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;

import java.net.URI;

/** The receiving workload's role: verify a request with {@link RequestVerifier} and authorize its caller. */
public final class ReceivingWorkloadExample {
    private static final TrustDomain EXAMPLE_COM = new TrustDomain("example.com");
    private static final WorkloadIdentifier ORDERS = new WorkloadIdentifier("wimse", EXAMPLE_COM, "/orders");

    private ReceivingWorkloadExample() {
    }

    /** What the application answers: 200 naming the caller, 403, or the status and problem type of a rejection. */
    public record Answer(int status, String body) {
    }

    /** Builds the verifier once, trusting the keys of {@code jwksJson} for trust domain {@code example.com}. */
    public static RequestVerifier buildVerifier(String jwksJson) throws WimseException {
        // tag::build-verifier[]
        TrustBundleSet trust = TrustBundleSet.of(
                TrustBundle.fromJwks(new TrustDomain("example.com"), jwksJson));
        RequestVerifier verifier = RequestVerifier.builder()
                .trust(trust)                                  // keys per trust domain, chosen by kid
                .audience("wimse://example.com/payments")      // optional agreed alias besides the target URI
                .build();                                      // 60 s leeway, 300 s max proof lifetime,
                                                               // in-memory replay cache: all defaults
        // end::build-verifier[]
        return verifier;
    }

    /** Handles one {@code POST} to {@code path} with the given header values. */
    public static Answer handle(RequestVerifier verifier, String path,
                                String witHeader, String wptHeader, String authorizationHeader) {
        // tag::verify-request[]
        HttpRequestFacts facts = HttpRequestFacts.builder("POST", URI.create("https://payments.example.com" + path))
                .header("Workload-Identity-Token", witHeader)
                .header("Workload-Proof-Token", wptHeader)
                .header("Authorization", authorizationHeader)   // every header, repeated ones kept
                .build();
        try {
            VerifiedCaller caller = verifier.verify(facts);
            if (!authorized(caller.trustDomain(), caller.workload())) {  // always scope by trust domain (ID-2)
                return new Answer(403, "forbidden");
            }
            return new Answer(200, "hello " + caller.workload());
        } catch (WimseException e) {
            // e.reason(): e.g. AUDIENCE_MISMATCH, code "audience-mismatch"; e.httpStatus(): 400 (V-14), or 401
            // for a proof sent as 'Authorization: WPT', with e.challenge() "WPT" for WWW-Authenticate (P2-4);
            // ProblemDetails.of(e) writes the problem body
            return new Answer(e.httpStatus(), e.reason().code());
        }
        // end::verify-request[]
    }

    /** The application's own policy: only {@code wimse://example.com/orders} may charge. */
    private static boolean authorized(TrustDomain trustDomain, WorkloadIdentifier workload) {
        return trustDomain.equals(EXAMPLE_COM) && workload.equals(ORDERS);
    }
}
