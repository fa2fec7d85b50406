package io.wimse4j.core.authz;

import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/** The implementations behind the {@link CallerAuthorizer} factories; immutable records. */
final class Authorizers {
    private Authorizers() {
    }

    /** Every authenticated caller. */
    enum Any implements CallerAuthorizer {
        INSTANCE;

        @Override
        public boolean permits(WorkloadIdentifier caller, AuthorizationRequest request) {
            check(caller, request);
            return true;
        }

        @Override
        public String toString() {
            return "CallerAuthorizer.any()";
        }
    }

    /** Exact identifiers, compared whole (ID-2). */
    record OneOf(Set<WorkloadIdentifier> ids) implements CallerAuthorizer {
        OneOf {
            ids = Collections.unmodifiableSet(new LinkedHashSet<>(copy(ids, "workload identifier")));
        }

        @Override
        public boolean permits(WorkloadIdentifier caller, AuthorizationRequest request) {
            check(caller, request);
            return ids.contains(caller);
        }

        @Override
        public String toString() {
            return ids.size() == 1 ? "CallerAuthorizer.id(" + ids.iterator().next().value() + ")"
                    : "CallerAuthorizer.oneOf(" + String.join(", ", ids.stream().map(WorkloadIdentifier::value).toList()) + ")";
        }
    }

    /** Whole trust domains, compared exactly (ID-2). */
    record MemberOf(Set<TrustDomain> domains) implements CallerAuthorizer {
        MemberOf {
            domains = Collections.unmodifiableSet(new LinkedHashSet<>(copy(domains, "trust domain")));
        }

        @Override
        public boolean permits(WorkloadIdentifier caller, AuthorizationRequest request) {
            check(caller, request);
            return domains.contains(caller.trustDomain());
        }

        @Override
        public String toString() {
            return "CallerAuthorizer.memberOf(" + String.join(", ", domains.stream().map(TrustDomain::name).toList()) + ")";
        }
    }

    /** A predicate of the application's. */
    record Matching(Predicate<WorkloadIdentifier> predicate) implements CallerAuthorizer {
        Matching {
            Objects.requireNonNull(predicate, "predicate");
        }

        @Override
        public boolean permits(WorkloadIdentifier caller, AuthorizationRequest request) {
            check(caller, request);
            return predicate.test(caller);
        }

        @Override
        public String toString() {
            return "CallerAuthorizer.matching(" + predicate + ")";
        }
    }

    /** At least one of several. */
    record AnyOf(List<CallerAuthorizer> authorizers) implements CallerAuthorizer {
        AnyOf {
            authorizers = copy(authorizers, "authorizer");
        }

        @Override
        public boolean permits(WorkloadIdentifier caller, AuthorizationRequest request) {
            check(caller, request);
            for (CallerAuthorizer a : authorizers) {
                if (a.permits(caller, request)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return "CallerAuthorizer.anyOf" + authorizers;
        }
    }

    /** Every one of several. */
    record AllOf(List<CallerAuthorizer> authorizers) implements CallerAuthorizer {
        AllOf {
            authorizers = copy(authorizers, "authorizer");
        }

        @Override
        public boolean permits(WorkloadIdentifier caller, AuthorizationRequest request) {
            check(caller, request);
            for (CallerAuthorizer a : authorizers) {
                if (!a.permits(caller, request)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return "CallerAuthorizer.allOf" + authorizers;
        }
    }

    private static void check(WorkloadIdentifier caller, AuthorizationRequest request) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(request, "request");
    }

    /** An unmodifiable copy in order, refusing null elements and an empty collection. */
    private static <T> List<T> copy(Collection<T> items, String what) {
        Objects.requireNonNull(items, what + "s");
        if (items.isEmpty()) {
            throw new IllegalArgumentException("at least one " + what + " is required");
        }
        for (T t : items) {
            Objects.requireNonNull(t, what);
        }
        return List.copyOf(items);
    }
}
