package io.wimse4j.examples;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.examples.IdentityServerExample.Issued;
import io.wimse4j.examples.ReceivingWorkloadExample.Answer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The README's issuer, signer and verifier examples run end to end in process: a WIT issued by
 * {@link IdentityServerExample}, a request signed by {@link CallingWorkloadExample}, verified by
 * {@link ReceivingWorkloadExample} trusting the JWKS the issuer example publishes.
 */
class RequestExamplesTest {
    private static final String ORDERS = "wimse://example.com/orders";
    private static final String ACCESS_TOKEN = "an-opaque-oauth-access-token";

    private final Issued issued = issueWit();
    private final RequestVerifier verifier = buildVerifier(issued.jwksJson());

    private static Issued issueWit() {
        try {
            return IdentityServerExample.issueWit();
        } catch (WimseException e) {
            throw new AssertionError(e);
        }
    }

    private static RequestVerifier buildVerifier(String jwks) {
        try {
            return ReceivingWorkloadExample.buildVerifier(jwks);
        } catch (WimseException e) {
            throw new AssertionError(e);
        }
    }

    private static String header(HttpRequest request, String name) {
        return request.headers().firstValue(name).orElseThrow(() -> new AssertionError("no header " + name));
    }

    private static Answer handle(RequestVerifier verifier, String path, HttpRequest signed) {
        return ReceivingWorkloadExample.handle(verifier, path, header(signed, "Workload-Identity-Token"),
                header(signed, "Workload-Proof-Token"), header(signed, "Authorization"));
    }

    private HttpRequest signed() throws WimseException {
        return CallingWorkloadExample.signRequest(issued.wit(), issued.workloadKey(), ACCESS_TOKEN, "{\"amount\":42}");
    }

    @Test
    void P2_1_theDefaultTransportPutsTheProofInAuthorizationAndTheVerifierAcceptsIt() throws WimseException {
        HttpRequest request = CallingWorkloadExample.signRequestWithAuthorizationWpt(issued.wit(), issued.workloadKey(), "txn-1", "{}");
        assertThat(request.headers().firstValue("Workload-Proof-Token")).isEmpty();
        assertThat(header(request, "Authorization")).startsWith("WPT ey");
        HttpRequestFacts facts = HttpRequestFacts.builder("POST", request.uri())
                .header("Workload-Identity-Token", header(request, "Workload-Identity-Token"))
                .header("Authorization", header(request, "Authorization"))
                .header("Txn-Token", header(request, "Txn-Token")).build();
        VerifiedCaller caller = verifier.verify(facts);
        assertThat(caller.workload().value()).isEqualTo(ORDERS);
        assertThat(caller.transport()).isEqualTo(io.wimse4j.core.wpt.WptTransport.AUTHORIZATION);
        assertThat(caller.txnTokenBound()).isTrue();
        WimseException replay = catchThrowableOfType(WimseException.class, () -> verifier.verify(facts));
        assertThat(replay.reason()).isEqualTo(Reason.REPLAY);
        assertThat(replay.httpStatus()).as("P2-4: a credential failure of 'Authorization: WPT'").isEqualTo(401);
    }

    @Test
    void theIssuedWitSignsARequestThatTheVerifierExampleAccepts() throws WimseException {
        HttpRequest request = signed();
        assertThat(request.uri()).isEqualTo(URI.create("https://payments.example.com/charge"));
        assertThat(request.method()).isEqualTo("POST");
        assertThat(header(request, "Workload-Identity-Token")).isEqualTo(issued.wit());

        assertThat(handle(verifier, "/charge", request)).isEqualTo(new Answer(200, "hello " + ORDERS));
    }

    @Test
    void theVerifiedCallerIsTheIssuedWorkloadWithItsAccessTokenBound() throws WimseException {
        HttpRequest request = signed();
        VerifiedCaller caller = verifier.verify(HttpRequestFacts.builder("POST", URI.create("https://payments.example.com/charge"))
                .header("Workload-Identity-Token", header(request, "Workload-Identity-Token"))
                .header("Workload-Proof-Token", header(request, "Workload-Proof-Token"))
                .header("Authorization", header(request, "Authorization"))
                .build());
        assertThat(caller.workload().value()).isEqualTo(ORDERS);
        assertThat(caller.trustDomain().name()).isEqualTo("example.com");
        assertThat(caller.wit().issuer()).hasValue("https://wimse.example.com");
        assertThat(caller.wit().confirmationKey()).isEqualTo(issued.workloadKey().publicJwk());
        assertThat(caller.wit().confirmationAlgorithmName()).isEqualTo("EdDSA");
        assertThat(caller.accessTokenBound()).as("ath binds the Authorization header").isTrue();
        assertThat(caller.boundHeaders()).as("no X-User-Assertion in the request, so no oth").isEmpty();
    }

    @Test
    void aReplayedProofIsRefusedWithItsProblemType() throws WimseException {
        HttpRequest request = signed();
        assertThat(handle(verifier, "/charge", request).status()).isEqualTo(200);
        assertThat(handle(verifier, "/charge", request))
                .isEqualTo(new Answer(400, Reason.REPLAY.code()));
    }

    @Test
    void aProofForAnotherPathIsAnAudienceMismatch() throws WimseException {
        assertThat(handle(verifier, "/refund", signed()))
                .isEqualTo(new Answer(400, Reason.AUDIENCE_MISMATCH.code()));
    }

    @Test
    void aTamperedAccessTokenIsAnAthMismatch() throws WimseException {
        HttpRequest request = signed();
        Answer answer = ReceivingWorkloadExample.handle(verifier, "/charge", header(request, "Workload-Identity-Token"),
                header(request, "Workload-Proof-Token"), "Bearer another-access-token");
        assertThat(answer).isEqualTo(new Answer(400, Reason.ATH_MISMATCH.code()));
    }

    @Test
    void anotherWorkloadOfTheTrustDomainIsVerifiedButNotAuthorized() throws WimseException {
        WorkloadKeyPair billingKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
        String billingWit = issued.issuer().issue(WorkloadIdentifier.parse("wimse://example.com/billing"),
                billingKey.publicJwk()).token();
        HttpRequest request = CallingWorkloadExample.signRequest(billingWit, billingKey, ACCESS_TOKEN, "{}");
        assertThat(handle(verifier, "/charge", request)).isEqualTo(new Answer(403, "forbidden"));
    }

    @Test
    void aWitFromAnotherIssuerIsRefused() throws WimseException {
        Issued other = IdentityServerExample.issueWit(); // same identifier, another server key
        HttpRequest request = CallingWorkloadExample.signRequest(other.wit(), other.workloadKey(), ACCESS_TOKEN, "{}");
        Answer answer = handle(verifier, "/charge", request);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).isIn(Reason.BAD_SIGNATURE.code(), Reason.UNKNOWN_KEY.code());
    }

    @Test
    void theIssuerRefusesAnIdentifierOutsideItsTrustDomain() {
        WimseException e = catchThrowableOfType(WimseException.class, () -> issued.issuer().issue(
                WorkloadIdentifier.parse("wimse://partner.example/orders"), issued.workloadKey().publicJwk()));
        assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_TRUST_DOMAIN);
    }

    @Test
    void theWitIsNotABearerToken() throws WimseException {
        HttpRequest request = signed();
        Answer answer = ReceivingWorkloadExample.handle(verifier, "/charge", header(request, "Workload-Identity-Token"),
                header(request, "Workload-Proof-Token"), "Bearer " + issued.wit());
        assertThat(answer).isEqualTo(new Answer(400, Reason.WIT_AS_BEARER.code()));
    }
}
