package io.wimse4j.examples;

import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.id.TrustDomain;

import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.servlet.AuthorizationPolicy;
import io.wimse4j.servlet.BearerTransitionPolicy;
import io.wimse4j.servlet.WimseFilter;

import java.net.URI;
import java.util.Optional;

/** The receiving workload in a servlet container: {@link WimseFilter} verifies, authorizes and answers problems. */
public final class ServletFilterExample {
    private ServletFilterExample() {
    }

    /** Stands for the application's existing bearer-JWT validation (signature, issuer, audience, expiry). */
    @FunctionalInterface
    public interface ExistingJwtValidator {
        /** The workload {@code token} authenticates, or empty when it is not acceptable. */
        Optional<WorkloadIdentifier> workloadOf(String token) throws Exception;
    }

    /** The filter of the README: only {@code wimse://example.com/orders} may {@code POST /charge}. */
    public static WimseFilter filter(RequestVerifier verifier) {
        // tag::servlet-filter[]
        WimseFilter filter = WimseFilter.builder()
                .verifier(verifier)
                .externalBaseUri(URI.create("https://payments.example.com"))   // never taken from Host
                .authorization(AuthorizationPolicy.builder()
                        .path("/charge").methods("POST").allowWorkloads("wimse://example.com/orders").add()
                        .build())                                              // deny by default once set
                .build();
        // register it before your servlets; they read request.getUserPrincipal().getName()
        // end::servlet-filter[]
        return filter;
    }

    /**
     * The filter with an authorizer composed from core's {@code CallerAuthorizer} factories (ID-2):
     * {@code wimse://partner.example/billing}, or any workload of {@code example.com} reading with GET.
     */
    public static WimseFilter filterWithAuthorizer(RequestVerifier verifier) throws io.wimse4j.core.error.WimseException {
        // tag::caller-authorizer[]
        TrustDomain ours = new TrustDomain("example.com");
        CallerAuthorizer authorizer = CallerAuthorizer.anyOf(
                CallerAuthorizer.id(WorkloadIdentifier.parse("wimse://partner.example/billing")), // one identifier
                CallerAuthorizer.allOf(
                        CallerAuthorizer.memberOf(ours),                                  // any workload of our domain...
                        (caller, request) -> request.method().filter("GET"::equals).isPresent()));  // ...reading only
        WimseFilter filter = WimseFilter.builder().verifier(verifier)
                .externalBaseUri(URI.create("https://payments.example.com"))
                .authorization(authorizer)                                             // a denial: 403 "forbidden"
                .build();
        // end::caller-authorizer[]
        return filter;
    }

    /** The filter during a migration from bearer JWTs (WIT-12): listed callers may still send only a bearer token. */
    public static WimseFilter filterDuringBearerMigration(RequestVerifier verifier, ExistingJwtValidator myJwtValidator) {
        // tag::bearer-transition[]
        WimseFilter filter = WimseFilter.builder()
                .verifier(verifier)
                .externalBaseUri(URI.create("https://payments.example.com"))
                .bearerTransition(BearerTransitionPolicy.builder()
                        .authenticator(token -> myJwtValidator.workloadOf(token))  // your existing validation: Optional<WorkloadIdentifier>
                        .allowWorkloads("wimse://example.com/legacy-batch")       // still on bearer tokens
                        .allowTrustDomains("old.example.com")
                        .build())                                                 // .disableBearer() ends the transition
                .build();
        // end::bearer-transition[]
        return filter;
    }
}
