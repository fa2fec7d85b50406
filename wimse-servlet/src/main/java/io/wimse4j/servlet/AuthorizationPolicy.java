package io.wimse4j.servlet;

import io.wimse4j.core.authz.AuthorizationRequest;
import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which authenticated workloads may call which paths (ID-2: identifiers are always scoped by their
 * trust domain). A {@link Rule} covers a path prefix, matched on whole segments ({@code /orders}
 * covers {@code /orders} and {@code /orders/1}, not {@code /ordersx}), and optionally a set of
 * methods; it allows exact workload identifiers and/or whole trust domains. For a request the
 * matching rule with the longest prefix wins (a rule naming the method beats one for all methods
 * at the same prefix). Once any rule exists, a request no rule matches is denied. A policy with no
 * rules ({@link #allowAll()}) allows every authenticated caller. Immutable and thread-safe.
 *
 * <p>This is the path and method implementation of core's {@link CallerAuthorizer}, which
 * {@link WimseFilter.Builder#authorization(CallerAuthorizer)} accepts like any other: it decides from
 * {@link AuthorizationRequest#method()} and {@link AuthorizationRequest#path()}; once any rule exists,
 * a request that carries no path (e.g. a TLS handshake, {@link AuthorizationRequest#none()}) is denied.
 * Compose it with other authorizers through {@link CallerAuthorizer#allOf(CallerAuthorizer...)} or
 * {@link CallerAuthorizer#anyOf(CallerAuthorizer...)}.
 */
public final class AuthorizationPolicy implements CallerAuthorizer {
    private static final AuthorizationPolicy ALLOW_ALL = new AuthorizationPolicy(List.of());

    private final List<Rule> rules;

    private AuthorizationPolicy(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The policy with no rules: every authenticated caller is allowed. */
    public static AuthorizationPolicy allowAll() {
        return ALLOW_ALL;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The rules, in the order they were added. */
    public List<Rule> rules() {
        return rules;
    }

    /** The rule deciding a request, if any matches. */
    public Optional<Rule> ruleFor(String method, String path) {
        Rule best = null;
        for (Rule r : rules) {
            if (!r.matches(method, path)) {
                continue;
            }
            if (best == null || r.prefix.length() > best.prefix.length()
                    || (r.prefix.length() == best.prefix.length() && !r.methods.isEmpty() && best.methods.isEmpty())) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether {@code caller} may do {@code request}: the rule for its method and path decides (ID-2). */
    @Override
    public boolean permits(WorkloadIdentifier caller, AuthorizationRequest request) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(request, "request");
        if (rules.isEmpty()) {
            return true;
        }
        return request.path().isPresent() && permits(request.method().orElse(null), request.path().get(), caller);
    }

    /** Whether {@code caller} may send {@code method} to {@code path} (the path within the application). */
    public boolean permits(String method, String path, WorkloadIdentifier caller) {
        Objects.requireNonNull(caller, "caller");
        if (rules.isEmpty()) {
            return true;
        }
        return ruleFor(method, path).map(r -> r.allows(caller)).orElse(false);
    }

    @Override
    public String toString() {
        return "AuthorizationPolicy" + rules;
    }

    /** One rule: a path prefix, the methods it covers (empty = all) and whom it allows. */
    public static final class Rule {
        private final String prefix;
        private final Set<String> methods;
        private final CallerAllowList allowed;

        private Rule(String prefix, Set<String> methods, CallerAllowList allowed) {
            this.prefix = prefix;
            this.methods = Collections.unmodifiableSet(new LinkedHashSet<>(methods));
            this.allowed = allowed;
        }

        /** The path prefix, normalized (no trailing {@code /} except for the root). */
        public String prefix() {
            return prefix;
        }

        /** The upper-case methods covered; empty means all. */
        public Set<String> methods() {
            return methods;
        }

        /** The workload identifiers allowed exactly. */
        public Set<WorkloadIdentifier> workloads() {
            return allowed.workloads();
        }

        /** The trust domains all of whose workloads are allowed. */
        public Set<TrustDomain> trustDomains() {
            return allowed.trustDomains();
        }

        boolean matches(String method, String path) {
            if (!methods.isEmpty() && (method == null || !methods.contains(method.toUpperCase(Locale.ROOT)))) {
                return false;
            }
            if (path == null || !path.startsWith("/")) {
                return false;
            }
            if (prefix.equals("/")) {
                return true;
            }
            return path.equals(prefix) || path.startsWith(prefix + "/");
        }

        boolean allows(WorkloadIdentifier caller) {
            return allowed.permits(caller);
        }

        @Override
        public String toString() {
            return "Rule[" + (methods.isEmpty() ? "*" : String.join(",", methods)) + " " + prefix
                    + " workloads=" + allowed.workloads() + " trustDomains=" + allowed.trustDomains() + "]";
        }
    }

    /** Builder; validates every rule and rejects ambiguous ones. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();

        private Builder() {
        }

        /** Starts a rule for {@code pathPrefix} (absolute, e.g. {@code /orders}); finish it with {@link RuleBuilder#add()}. */
        public RuleBuilder path(String pathPrefix) {
            return new RuleBuilder(this, normalizePrefix(pathPrefix));
        }

        /** Builds the policy. */
        public AuthorizationPolicy build() {
            return new AuthorizationPolicy(rules);
        }

        private Builder add(Rule rule) {
            for (Rule r : rules) {
                if (r.prefix.equals(rule.prefix) && overlap(r.methods, rule.methods)) {
                    throw new IllegalStateException("rules " + r + " and " + rule + " overlap; merge them");
                }
            }
            rules.add(rule);
            return this;
        }

        private static boolean overlap(Set<String> a, Set<String> b) {
            if (a.isEmpty() || b.isEmpty()) {
                return a.isEmpty() && b.isEmpty();
            }
            return !Collections.disjoint(a, b);
        }

        private static String normalizePrefix(String p) {
            if (p == null || !p.startsWith("/")) {
                throw new IllegalArgumentException("a path prefix must start with '/'");
            }
            if (p.contains("//") || p.contains("?") || p.contains("#") || p.contains("%") || p.contains("\\")) {
                throw new IllegalArgumentException("a path prefix must be a plain path without '//', '?', '#', '%' or '\\'");
            }
            for (String seg : p.split("/")) {
                if (seg.equals(".") || seg.equals("..")) {
                    throw new IllegalArgumentException("a path prefix must not contain '.' or '..' segments");
                }
            }
            for (int i = 0; i < p.length(); i++) {
                if (Character.isISOControl(p.charAt(i)) || Character.isWhitespace(p.charAt(i))) {
                    throw new IllegalArgumentException("a path prefix must not contain whitespace or control characters");
                }
            }
            return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        }
    }

    /** Builds one rule of a {@link Builder}. */
    public static final class RuleBuilder {
        private final Builder parent;
        private final String prefix;
        private final Set<String> methods = new LinkedHashSet<>();
        private final CallerAllowList.Builder allowed = new CallerAllowList.Builder();

        private RuleBuilder(Builder parent, String prefix) {
            this.parent = parent;
            this.prefix = prefix;
        }

        /** Restricts the rule to these methods (case-insensitive tokens); by default it covers all. */
        public RuleBuilder methods(String... methods) {
            for (String m : methods) {
                if (m == null || !m.matches("[A-Za-z]{1,20}")) {
                    throw new IllegalArgumentException("not an HTTP method: " + m);
                }
                this.methods.add(m.toUpperCase(Locale.ROOT));
            }
            return this;
        }

        /** Allows these exact workload identifiers. */
        public RuleBuilder allowWorkloads(WorkloadIdentifier... ids) {
            allowed.workloads(ids);
            return this;
        }

        /** Allows these exact workload identifiers, parsed; a malformed one is rejected. */
        public RuleBuilder allowWorkloads(String... ids) {
            allowed.workloads(ids);
            return this;
        }

        /** Allows every workload of these trust domains. */
        public RuleBuilder allowTrustDomains(TrustDomain... domains) {
            allowed.trustDomains(domains);
            return this;
        }

        /** Allows every workload of these trust domains, parsed; a malformed one is rejected. */
        public RuleBuilder allowTrustDomains(String... domains) {
            allowed.trustDomains(domains);
            return this;
        }

        /** Adds the rule to the policy builder; it must allow at least one workload or trust domain. */
        public Builder add() {
            if (allowed.isEmpty()) {
                throw new IllegalStateException("rule for " + prefix + " allows no workload and no trust domain");
            }
            return parent.add(new Rule(prefix, methods, allowed.build()));
        }
    }
}
