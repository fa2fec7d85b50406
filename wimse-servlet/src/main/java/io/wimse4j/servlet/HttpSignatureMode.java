package io.wimse4j.servlet;

import io.wimse4j.core.authz.AuthorizationRequest;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.httpsig.VerifiedSignedRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@link WimseFilter}'s HTTP Message Signatures path (draft-ietf-wimse-http-signature): the body read
 * whole up to the limit (HS-5, HS-7), the request verified, the caller authorized, and the response
 * signed when the request asked ({@code wimse-sign-response}) or a signer is configured (HS-6).
 */
final class HttpSignatureMode {
    private final HttpSignatureVerifier verifier;
    private final HttpSignatureSigner signer;
    private final boolean alwaysSign;
    private final int bodyLimit;
    private final ProblemWriter problems;

    HttpSignatureMode(HttpSignatureVerifier verifier, HttpSignatureSigner signer, boolean alwaysSign, int bodyLimit,
                      ProblemWriter problems) {
        this.problems = problems;
        this.verifier = verifier;
        this.signer = signer;
        this.alwaysSign = alwaysSign;
        this.bodyLimit = bodyLimit;
    }

    /**
     * Authenticates a request {@link WimseFilter} routed here (it carries a WIMSE signature, or WPTs are not
     * accepted), {@code signed} as {@link HttpSignatureVerifier#isSigned} answered for its {@code facts}; a
     * refusal is written and audited here.
     */
    void handle(HttpServletRequest request, HttpServletResponse response, AuthorizationRequest asked, HttpRequestFacts facts,
                boolean signed, FilterContinuation next) throws IOException, ServletException {
        String auth = AuthenticationMethod.HTTP_SIGNATURE.auditName();
        if (signed && FilterRequests.hasWpt(request)) {
            FilterRequests.audit(asked, null, auth, "reject", Reason.TWO_PROOF_TRANSPORTS.name());
            ProblemResponses.write(problems, ProblemDetails.of(Reason.TWO_PROOF_TRANSPORTS,
                    "the request carries both a WPT and a WIMSE HTTP message signature; send one"), response);
            return;
        }
        VerifiedSignedRequest verified;
        byte[][] read = new byte[1][];
        try {
            // the body is read only once the signature over the headers verified (HS-5, HS-7)
            verified = verifier.verifyRequestReading(facts, () -> read[0] = SignedBodies.read(request, bodyLimit));
        } catch (WimseException e) {
            FilterRequests.audit(asked, null, auth, "reject", e.reason().name());
            ProblemResponses.write(problems, e, response);
            return;
        } catch (RuntimeException e) {
            FilterRequests.audit(asked, null, auth, "reject", "INTERNAL_ERROR");
            throw e;
        }
        boolean required = verified.signResponseRequested() || alwaysSign;
        if (required && signer == null) {
            FilterRequests.audit(asked, verified.workload(), auth, "reject", Reason.SIGNED_RESPONSE_UNAVAILABLE.name());
            ProblemResponses.write(problems, ProblemDetails.of(Reason.SIGNED_RESPONSE_UNAVAILABLE,
                    "the request asks for a signed response (wimse-sign-response) and this service cannot sign responses (HS-6)"),
                    response);
            return;
        }
        request.setAttribute(WimseFilter.SIGNED_REQUEST_ATTRIBUTE, verified);
        byte[] body = read[0] != null ? read[0] : new byte[0]; // always read once the signature verified
        WorkloadPrincipal principal = new WorkloadPrincipal(verified.workload(), AuthenticationMethod.HTTP_SIGNATURE);
        if (signer == null) {
            next.authorizeAndContinue(new SignedBodies.BufferedRequest(request, body, true), response, principal);
            return;
        }
        // a signed response is buffered: the handler must answer synchronously, through the wrapper
        SigningResponse signing = new SigningResponse(response, signer, verified, required, bodyLimit, problems);
        next.authorizeAndContinue(new SignedBodies.BufferedRequest(request, body, false), signing, principal);
        signing.finish();
    }
}
