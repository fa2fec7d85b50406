package io.wimse4j.servlet;

import io.wimse4j.core.authz.AuthorizationRequest;
import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.id.WorkloadIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthorizationPolicyTest {
    private static final WorkloadIdentifier CALLER = id("wimse://example.org/svc/caller");
    private static final WorkloadIdentifier OTHER = id("wimse://example.org/svc/other");
    private static final WorkloadIdentifier FOREIGN_SAME_PATH = id("wimse://evil.example/svc/caller");

    private static WorkloadIdentifier id(String s) {
        try {
            return WorkloadIdentifier.parse(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void noRulesAllowsEveryAuthenticatedCaller() {
        assertThat(AuthorizationPolicy.allowAll().permits("DELETE", "/anything", FOREIGN_SAME_PATH)).isTrue();
        assertThat(AuthorizationPolicy.builder().build().permits("GET", "/", CALLER)).isTrue();
    }

    @Test
    void exactWorkloadIsScopedByTrustDomain() {
        AuthorizationPolicy p = AuthorizationPolicy.builder().path("/orders").allowWorkloads(CALLER).add().build();
        assertThat(p.permits("GET", "/orders", CALLER)).isTrue();
        assertThat(p.permits("GET", "/orders", OTHER)).isFalse();
        // same path, another trust domain (ID-2)
        assertThat(p.permits("GET", "/orders", FOREIGN_SAME_PATH)).isFalse();
    }

    @Test
    void trustDomainRule() {
        AuthorizationPolicy p = AuthorizationPolicy.builder().path("/orders").allowTrustDomains("example.org").add().build();
        assertThat(p.permits("GET", "/orders", CALLER)).isTrue();
        assertThat(p.permits("GET", "/orders", OTHER)).isTrue();
        assertThat(p.permits("GET", "/orders", FOREIGN_SAME_PATH)).isFalse();
    }

    @Test
    void prefixMatchesWholeSegmentsOnly() {
        AuthorizationPolicy p = AuthorizationPolicy.builder().path("/orders/").allowWorkloads(CALLER).add().build();
        assertThat(p.rules().get(0).prefix()).isEqualTo("/orders");
        assertThat(p.permits("GET", "/orders", CALLER)).isTrue();
        assertThat(p.permits("GET", "/orders/7/lines", CALLER)).isTrue();
        assertThat(p.permits("GET", "/ordersx", CALLER)).isFalse();
        assertThat(p.permits("GET", "/order", CALLER)).isFalse();
    }

    @Test
    void denyByDefaultOnceAnyRuleExists() {
        AuthorizationPolicy p = AuthorizationPolicy.builder().path("/admin").allowWorkloads(CALLER).add().build();
        assertThat(p.permits("GET", "/orders", CALLER)).isFalse();
        assertThat(p.ruleFor("GET", "/orders")).isEmpty();
    }

    @Test
    void longestPrefixWins() {
        AuthorizationPolicy p = AuthorizationPolicy.builder()
                .path("/").allowTrustDomains("example.org").add()
                .path("/orders").allowWorkloads(OTHER).add()
                .build();
        assertThat(p.permits("GET", "/orders/1", CALLER)).isFalse();
        assertThat(p.permits("GET", "/orders/1", OTHER)).isTrue();
        assertThat(p.permits("GET", "/ordersx", CALLER)).isTrue();
        assertThat(p.permits("GET", "/", CALLER)).isTrue();
    }

    @Test
    void methodRules() {
        AuthorizationPolicy p = AuthorizationPolicy.builder()
                .path("/orders").allowTrustDomains("example.org").add()
                .path("/orders").methods("post", "DELETE").allowWorkloads(OTHER).add()
                .build();
        assertThat(p.permits("GET", "/orders", CALLER)).isTrue();
        assertThat(p.permits("POST", "/orders", CALLER)).isFalse();
        assertThat(p.permits("post", "/orders", OTHER)).isTrue();
        assertThat(p.permits("DELETE", "/orders/1", CALLER)).isFalse();

        AuthorizationPolicy onlyGet = AuthorizationPolicy.builder().path("/orders").methods("GET").allowWorkloads(CALLER).add().build();
        assertThat(onlyGet.permits("GET", "/orders", CALLER)).isTrue();
        assertThat(onlyGet.permits("PUT", "/orders", CALLER)).isFalse();
    }

    @Test
    void builderValidation() {
        assertThatThrownBy(() -> AuthorizationPolicy.builder().path("orders")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthorizationPolicy.builder().path("/a/../b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthorizationPolicy.builder().path("/a//b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthorizationPolicy.builder().path("/a%2Fb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthorizationPolicy.builder().path("/a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthorizationPolicy.builder().path("/a").methods("G T")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthorizationPolicy.builder().path("/a").add()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> AuthorizationPolicy.builder().path("/a").allowWorkloads("not a uri")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthorizationPolicy.builder().path("/a").allowTrustDomains("bad domain")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthorizationPolicy.builder()
                .path("/a").allowWorkloads(CALLER).add()
                .path("/a/").allowWorkloads(OTHER).add()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> AuthorizationPolicy.builder()
                .path("/a").methods("GET", "POST").allowWorkloads(CALLER).add()
                .path("/a").methods("post").allowWorkloads(OTHER).add()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void immutable() {
        AuthorizationPolicy p = AuthorizationPolicy.builder().path("/a").methods("GET").allowWorkloads(CALLER).add().build();
        assertThatThrownBy(() -> p.rules().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.rules().get(0).methods().add("POST")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.rules().get(0).workloads().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    private record AsAuthorizer(String rule, CallerAuthorizer policy, WorkloadIdentifier caller, AuthorizationRequest request,
                                boolean allowed) {
        @Override
        public String toString() {
            return rule;
        }
    }

    /** The policy as a core {@link CallerAuthorizer}: the same decisions through {@link AuthorizationRequest}. */
    static Stream<AsAuthorizer> asAuthorizer() {
        AuthorizationPolicy orders = AuthorizationPolicy.builder()
                .path("/orders").allowWorkloads(CALLER).add()
                .path("/orders").methods("DELETE").allowWorkloads(OTHER).add().build();
        return Stream.of(
                new AsAuthorizer("no rules: a TLS handshake is allowed", AuthorizationPolicy.allowAll(), FOREIGN_SAME_PATH,
                        AuthorizationRequest.none(), true),
                new AsAuthorizer("rules: a TLS handshake has no path and is denied", orders, CALLER, AuthorizationRequest.none(), false),
                new AsAuthorizer("rules: the rule for the path allows", orders, CALLER, AuthorizationRequest.http("GET", "/orders/1"), true),
                new AsAuthorizer("ID-2 rules: the same path in another trust domain is denied", orders, FOREIGN_SAME_PATH,
                        AuthorizationRequest.http("GET", "/orders/1"), false),
                new AsAuthorizer("rules: the method rule decides its method", orders, CALLER, AuthorizationRequest.http("DELETE", "/orders"), false),
                new AsAuthorizer("rules: the method rule allows its workload", orders, OTHER, AuthorizationRequest.http("DELETE", "/orders"), true),
                new AsAuthorizer("rules: an unmatched path is denied", orders, CALLER, AuthorizationRequest.http("GET", "/admin"), false),
                new AsAuthorizer("allOf: the policy and a trust domain", CallerAuthorizer.allOf(orders,
                        CallerAuthorizer.memberOf(CALLER.trustDomain())), CALLER, AuthorizationRequest.http("GET", "/orders"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("asAuthorizer")
    void decidesAsACallerAuthorizer(AsAuthorizer row) {
        assertThat(row.policy().permits(row.caller(), row.request())).isEqualTo(row.allowed());
    }
}
