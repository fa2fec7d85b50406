package io.wimse4j.core.authz;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each {@link CallerAuthorizer} factory, one allow or deny row per rule (ID-2: identifiers scoped by trust domain). */
class CallerAuthorizerTest {
    private static final TrustDomain EXAMPLE = new TrustDomain("example.org");
    private static final WorkloadIdentifier A = id("wimse://example.org/svc/a");
    private static final WorkloadIdentifier B = id("wimse://example.org/svc/b");
    private static final WorkloadIdentifier A_SPIFFE = id("spiffe://example.org/svc/a");
    private static final WorkloadIdentifier A_ELSEWHERE = id("wimse://other.example/svc/a");
    private static final WorkloadIdentifier A_CHILD = id("wimse://example.org/svc/a/child");
    private static final WorkloadIdentifier A_LONGER = id("wimse://example.org/svc/ab");
    private static final WorkloadIdentifier A_PARENT = id("wimse://example.org/svc");
    private static final WorkloadIdentifier IN_SUBDOMAIN = id("wimse://eu.example.org/svc/a");
    private static final WorkloadIdentifier IN_PARENT = id("wimse://org/svc/a");
    private static final WorkloadIdentifier IN_LOOKALIKE = id("wimse://evil-example.org/svc/a");
    private static final WorkloadIdentifier IN_SUFFIXED = id("wimse://example.org.evil/svc/a");
    private static final AuthorizationRequest GET_ORDERS = AuthorizationRequest.http("GET", "/orders");
    private static final AuthorizationRequest HANDSHAKE = AuthorizationRequest.none();

    private static WorkloadIdentifier id(String s) {
        try {
            return WorkloadIdentifier.parse(s);
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Row(String rule, CallerAuthorizer authorizer, WorkloadIdentifier caller, AuthorizationRequest request,
                       boolean allowed) {
        @Override
        public String toString() {
            return rule + (allowed ? ": allows " : ": denies ") + caller.value() + " " + request;
        }
    }

    private static Row allow(String rule, CallerAuthorizer a, WorkloadIdentifier caller, AuthorizationRequest request) {
        return new Row(rule, a, caller, request, true);
    }

    private static Row deny(String rule, CallerAuthorizer a, WorkloadIdentifier caller, AuthorizationRequest request) {
        return new Row(rule, a, caller, request, false);
    }

    static Stream<Row> rows() {
        CallerAuthorizer idA = CallerAuthorizer.id(A);
        CallerAuthorizer oneOf = CallerAuthorizer.oneOf(A, B);
        CallerAuthorizer member = CallerAuthorizer.memberOf(EXAMPLE);
        CallerAuthorizer batch = CallerAuthorizer.matching(c -> c.trustDomain().equals(EXAMPLE) && c.path().startsWith("/svc/a"));
        CallerAuthorizer getOnly = (caller, request) -> request.method().filter("GET"::equals).isPresent();
        return Stream.of(
                allow("ID-2 id: the identifier itself", idA, A, GET_ORDERS),
                allow("ID-2 id: the identifier itself, in a TLS handshake", idA, A, HANDSHAKE),
                deny("ID-2 id: the same path in another trust domain", idA, A_ELSEWHERE, GET_ORDERS),
                deny("ID-2 id: another workload of the same trust domain", idA, B, GET_ORDERS),
                deny("ID-2 id: a child path is another identifier", idA, A_CHILD, GET_ORDERS),
                deny("ID-2 id: a longer path with the same prefix", idA, A_LONGER, GET_ORDERS),
                deny("ID-2 id: the parent path", idA, A_PARENT, GET_ORDERS),
                deny("ID-1 id: the same trust domain and path under the other scheme", idA, A_SPIFFE, GET_ORDERS),
                allow("ID-2 oneOf: the first listed", oneOf, A, GET_ORDERS),
                allow("ID-2 oneOf: the second listed", oneOf, B, HANDSHAKE),
                deny("ID-2 oneOf: a listed path in another trust domain", oneOf, A_ELSEWHERE, GET_ORDERS),
                deny("ID-2 oneOf: an unlisted workload of the same trust domain", oneOf, A_CHILD, GET_ORDERS),
                allow("ID-2 memberOf: a workload of the trust domain", member, A, GET_ORDERS),
                allow("ID-2 memberOf: another workload of the trust domain, in a TLS handshake", member, B, HANDSHAKE),
                allow("ID-2 memberOf: the trust domain under either scheme", member, A_SPIFFE, GET_ORDERS),
                deny("ID-2 memberOf: another trust domain", member, A_ELSEWHERE, GET_ORDERS),
                deny("ID-2 memberOf: a sub-domain is another trust domain", member, IN_SUBDOMAIN, GET_ORDERS),
                deny("ID-2 memberOf: a parent domain is another trust domain", member, IN_PARENT, GET_ORDERS),
                deny("ID-2 memberOf: a look-alike name ending in the trust domain", member, IN_LOOKALIKE, GET_ORDERS),
                deny("ID-2 memberOf: a name starting with the trust domain", member, IN_SUFFIXED, GET_ORDERS),
                allow("ID-2 memberOf several: the second domain", CallerAuthorizer.memberOf(new TrustDomain("other.example"), EXAMPLE),
                        A_ELSEWHERE, GET_ORDERS),
                deny("ID-2 memberOf several: none of them", CallerAuthorizer.memberOf(List.of(new TrustDomain("other.example"), EXAMPLE)),
                        IN_SUBDOMAIN, GET_ORDERS),
                allow("matching: the predicate accepts", batch, A_CHILD, GET_ORDERS),
                deny("matching: the predicate refuses", batch, B, GET_ORDERS),
                deny("ID-2 matching: the predicate scopes by trust domain", batch, A_ELSEWHERE, HANDSHAKE),
                allow("any: every authenticated caller, of any trust domain", CallerAuthorizer.any(), A_ELSEWHERE, HANDSHAKE),
                allow("custom: sees the HTTP method", getOnly, A, GET_ORDERS),
                deny("custom: another method", getOnly, A, AuthorizationRequest.http("DELETE", "/orders")),
                deny("custom: a TLS handshake has no method", getOnly, A, HANDSHAKE),
                allow("anyOf: one of them allows", CallerAuthorizer.anyOf(idA, CallerAuthorizer.id(B)), B, GET_ORDERS),
                deny("anyOf: none allows", CallerAuthorizer.anyOf(idA, CallerAuthorizer.id(B)), A_CHILD, GET_ORDERS),
                allow("allOf: all allow", CallerAuthorizer.allOf(member, getOnly), B, GET_ORDERS),
                deny("allOf: one denies", CallerAuthorizer.allOf(member, getOnly), B, HANDSHAKE),
                deny("ID-2 allOf: the method is right but the trust domain is not", CallerAuthorizer.allOf(member, getOnly),
                        A_ELSEWHERE, GET_ORDERS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(Row row) {
        assertThat(row.authorizer().permits(row.caller(), row.request())).isEqualTo(row.allowed());
        if (row.request().equals(HANDSHAKE)) {
            assertThat(row.authorizer().permits(row.caller())).isEqualTo(row.allowed());
        }
    }

    private record Refused(String rule, Supplier<Object> factory, Class<? extends Exception> type, String why) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Refused> refused() {
        return Stream.of(
                new Refused("oneOf with no identifier would deny everyone", CallerAuthorizer::oneOf,
                        IllegalArgumentException.class, "at least one workload identifier"),
                new Refused("oneOf with an empty set", () -> CallerAuthorizer.oneOf(Set.of()),
                        IllegalArgumentException.class, "at least one workload identifier"),
                new Refused("memberOf with no trust domain", CallerAuthorizer::memberOf,
                        IllegalArgumentException.class, "at least one trust domain"),
                new Refused("anyOf with no authorizer", CallerAuthorizer::anyOf, IllegalArgumentException.class, "at least one authorizer"),
                new Refused("allOf with no authorizer", CallerAuthorizer::allOf, IllegalArgumentException.class, "at least one authorizer"),
                new Refused("oneOf with a null identifier", () -> CallerAuthorizer.oneOf(A, null),
                        NullPointerException.class, "workload identifier"),
                new Refused("memberOf with a null trust domain", () -> CallerAuthorizer.memberOf(EXAMPLE, null),
                        NullPointerException.class, "trust domain"),
                new Refused("matching without a predicate", () -> CallerAuthorizer.matching(null), NullPointerException.class, "predicate"),
                new Refused("a request without a method token", () -> AuthorizationRequest.http("G T", "/"),
                        IllegalArgumentException.class, "not an HTTP method token"),
                new Refused("a request with an empty method", () -> AuthorizationRequest.http("", "/"),
                        IllegalArgumentException.class, "not an HTTP method token"),
                new Refused("a request with a relative path", () -> AuthorizationRequest.http("GET", "orders"),
                        IllegalArgumentException.class, "must start with '/'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedAtOnce(Refused row) {
        assertThatThrownBy(() -> row.factory().get()).isInstanceOf(row.type()).hasMessageContaining(row.why());
    }

    @Test
    void aCallerAndARequestAreAlwaysRequired() {
        for (CallerAuthorizer a : List.of(CallerAuthorizer.any(), CallerAuthorizer.id(A), CallerAuthorizer.memberOf(EXAMPLE),
                CallerAuthorizer.matching(c -> true), CallerAuthorizer.anyOf(CallerAuthorizer.any()))) {
            assertThatThrownBy(() -> a.permits(null, GET_ORDERS)).as("%s", a).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> a.permits(A, null)).as("%s", a).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void requestsCarryWhatTheTransportKnows() {
        assertThat(HANDSHAKE.method()).isEmpty();
        assertThat(HANDSHAKE.path()).isEmpty();
        AuthorizationRequest search = AuthorizationRequest.http("M-SEARCH", "/a b");
        assertThat(search.method()).hasValue("M-SEARCH");
        assertThat(search.path()).hasValue("/a b");
        assertThat(search).isEqualTo(AuthorizationRequest.http("M-SEARCH", "/a b")).isNotEqualTo(HANDSHAKE);
    }

    @Test
    void factoriesDescribeThemselves() {
        assertThat(CallerAuthorizer.id(A)).hasToString("CallerAuthorizer.id(wimse://example.org/svc/a)");
        assertThat(CallerAuthorizer.oneOf(A, B)).hasToString("CallerAuthorizer.oneOf(wimse://example.org/svc/a, wimse://example.org/svc/b)");
        assertThat(CallerAuthorizer.memberOf(EXAMPLE)).hasToString("CallerAuthorizer.memberOf(example.org)");
        assertThat(CallerAuthorizer.anyOf(CallerAuthorizer.any(), CallerAuthorizer.memberOf(EXAMPLE)))
                .hasToString("CallerAuthorizer.anyOf[CallerAuthorizer.any(), CallerAuthorizer.memberOf(example.org)]");
    }
}
