package io.wimse4j.servlet;

import io.wimse4j.core.authz.AuthorizationRequest;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.wpt.WimseHeaders;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

/** {@link WimseFilter}'s bearer path of WIT-12: authenticate, re-check the caller against the policy, authorize. */
final class BearerMode {
    private static final String BEARER = AuthenticationMethod.BEARER.auditName();

    private BearerMode() {
    }

    /** Authenticates a bearer-only request with {@code policy}; a refusal is written and audited here. */
    static void handle(ProblemWriter problems, BearerTransitionPolicy policy, HttpServletRequest request, HttpServletResponse response,
                       AuthorizationRequest asked, FilterContinuation next) throws IOException, ServletException {
        List<String> values = Collections.list(request.getHeaders(WimseHeaders.AUTHORIZATION));
        if (values.size() > 1) {
            FilterRequests.audit(asked, null, BEARER, "reject", Reason.REPEATED_HEADER.name());
            ProblemResponses.write(problems, ProblemDetails.of(Reason.REPEATED_HEADER, "header 'Authorization' is repeated"), response);
            return;
        }
        WorkloadIdentifier caller;
        try {
            caller = policy.authenticate(FilterRequests.bearerToken(values.get(0)));
        } catch (BearerTransitionPolicy.Rejection r) {
            FilterRequests.audit(asked, r.caller(), BEARER, "reject", FilterRequests.auditName(r.problem()));
            ProblemResponses.write(problems, r.problem(), response);
            return;
        }
        next.authorizeAndContinue(request, response, new WorkloadPrincipal(caller, AuthenticationMethod.BEARER));
    }
}
