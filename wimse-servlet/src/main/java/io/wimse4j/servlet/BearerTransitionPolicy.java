package io.wimse4j.servlet;

import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.CompactJws;
import io.wimse4j.core.wit.WitVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The opt-in policy under which {@link WimseFilter} still accepts bearer tokens during a transition
 * to WIMSE (WIT-12): "a policy that accepts both bearer tokens and WITs during a transition period
 * ... configurable per-caller to reject bearer tokens from callers that support WITs".
 *
 * <ul>
 *   <li>A request carrying a {@code Workload-Identity-Token} or {@code Workload-Proof-Token} header
 *       is always verified the WIMSE way (the preferred token); a bearer token alongside it is never
 *       used for identity (it must be bound by the proof's {@code ath}, V-10).</li>
 *   <li>A request with only {@code Authorization: Bearer <token>} is authenticated by the
 *       application's {@link BearerAuthenticator}; a token whose JOSE {@code typ} is
 *       {@code wit+jwt} is refused first ({@link Reason#WIT_AS_BEARER}, WIT-9).</li>
 *   <li>The decision to accept the bearer token was taken before the caller was known, so it is
 *       re-checked once the caller is authenticated: a caller that is neither an allowed workload
 *       nor in an allowed trust domain supports WIMSE and is refused with
 *       {@link FilterProblem#BEARER_NOT_ALLOWED}.</li>
 *   <li>{@link Builder#disableBearer()} ends the transition: the filter then behaves exactly as
 *       without a policy (a bearer-only request is refused with {@link Reason#MISSING_WIT}) and the
 *       authenticator is never called.</li>
 * </ul>
 *
 * <p>Every bearer rejection answers 400 with an RFC 9457 problem, like every other authentication
 * failure of the filter (V-14). A 401 would have to carry a {@code WWW-Authenticate} challenge
 * (RFC 9110 section 15.5.2), and a {@code Bearer} challenge invites exactly the retry this policy
 * refuses. Immutable and thread-safe; build it with {@link #builder()}.
 */
public final class BearerTransitionPolicy {
    /** Default longest bearer token handed to the authenticator, in characters. */
    public static final int DEFAULT_MAX_TOKEN_LENGTH = CompactJws.DEFAULT_MAX_TOKEN_LENGTH;

    private static final Logger LOG = LoggerFactory.getLogger(BearerTransitionPolicy.class);

    private final BearerAuthenticator authenticator;
    private final CallerAllowList allowed;
    private final boolean enabled;
    private final int maxTokenLength;

    private BearerTransitionPolicy(Builder b) {
        this.authenticator = b.authenticator;
        this.allowed = b.allowed.build();
        this.enabled = b.enabled;
        this.maxTokenLength = b.maxTokenLength;
    }

    /** A new builder; {@link Builder#authenticator(BearerAuthenticator)} is required while bearer tokens are enabled. */
    public static Builder builder() {
        return new Builder();
    }

    /** False once {@link Builder#disableBearer()} ended the transition. */
    public boolean enabled() {
        return enabled;
    }

    /** The workloads still allowed to authenticate with a bearer token. */
    public Set<WorkloadIdentifier> workloads() {
        return allowed.workloads();
    }

    /** The trust domains all of whose workloads are still allowed to use bearer tokens. */
    public Set<TrustDomain> trustDomains() {
        return allowed.trustDomains();
    }

    /** The longest bearer token handed to the authenticator. */
    public int maxTokenLength() {
        return maxTokenLength;
    }

    /** Whether {@code caller}, authenticated by a bearer token, may use that mechanism (the re-check of WIT-12). */
    public boolean allowsBearer(WorkloadIdentifier caller) {
        Objects.requireNonNull(caller, "caller");
        return enabled && allowed.permits(caller);
    }

    /**
     * Authenticates the bearer {@code token} and re-checks the caller against the allow list.
     *
     * @throws Rejection with the problem to answer and, when known, the caller for the audit line
     */
    WorkloadIdentifier authenticate(String token) throws Rejection {
        if (token.length() > maxTokenLength) {
            throw new Rejection(ProblemDetails.of(Reason.TOKEN_TOO_LARGE,
                    "the bearer token is longer than " + maxTokenLength + " characters"), null);
        }
        if (WitVerifier.declaresWitType(token)) {
            throw new Rejection(ProblemDetails.of(Reason.WIT_AS_BEARER,
                    "a WIT must not be sent in 'Authorization' (WIT-9); send it in 'Workload-Identity-Token' with a proof"), null);
        }
        Optional<WorkloadIdentifier> caller;
        try {
            caller = authenticator.authenticate(token);
        } catch (Exception e) {
            // the message may quote the token: record only the exception type, at debug level
            LOG.debug("bearer authenticator rejected a token with {}", e.getClass().getName());
            caller = Optional.empty();
        }
        if (caller == null || caller.isEmpty()) {
            throw new Rejection(ProblemResponses.bearerInvalid(), null);
        }
        WorkloadIdentifier id = caller.get();
        if (!allowsBearer(id)) {
            throw new Rejection(ProblemResponses.bearerNotAllowed(id), id);
        }
        return id;
    }

    @Override
    public String toString() {
        return "BearerTransitionPolicy[" + (enabled ? "enabled" : "disabled") + " workloads=" + allowed.workloads()
                + " trustDomains=" + allowed.trustDomains() + "]";
    }

    /** A refused bearer request: the problem to answer and the caller, when it was authenticated. */
    static final class Rejection extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ProblemDetails problem;
        private final transient WorkloadIdentifier caller;

        Rejection(ProblemDetails problem, WorkloadIdentifier caller) {
            super(problem.code(), null, false, false);
            this.problem = problem;
            this.caller = caller;
        }

        ProblemDetails problem() {
            return problem;
        }

        /** The authenticated caller, or {@code null} when authentication itself failed. */
        WorkloadIdentifier caller() {
            return caller;
        }
    }

    /** Builder for {@link BearerTransitionPolicy}; validates in {@link #build()}. */
    public static final class Builder {
        private BearerAuthenticator authenticator;
        private final CallerAllowList.Builder allowed = new CallerAllowList.Builder();
        private boolean enabled = true;
        private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;

        private Builder() {
        }

        /** The application's bearer-token validation (required unless {@link #disableBearer()}). */
        public Builder authenticator(BearerAuthenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /** Workloads still allowed to authenticate with a bearer token. */
        public Builder allowWorkloads(WorkloadIdentifier... ids) {
            allowed.workloads(ids);
            return this;
        }

        /** Workloads still allowed to authenticate with a bearer token, parsed; a malformed one is rejected. */
        public Builder allowWorkloads(String... ids) {
            allowed.workloads(ids);
            return this;
        }

        /** Trust domains all of whose workloads may still use bearer tokens. */
        public Builder allowTrustDomains(TrustDomain... domains) {
            allowed.trustDomains(domains);
            return this;
        }

        /** Trust domains all of whose workloads may still use bearer tokens, parsed; a malformed one is rejected. */
        public Builder allowTrustDomains(String... domains) {
            allowed.trustDomains(domains);
            return this;
        }

        /**
         * Ends the transition: bearer tokens are no longer accepted from anyone, the authenticator
         * is never called, and the filter behaves as if no policy were configured.
         */
        public Builder disableBearer() {
            this.enabled = false;
            return this;
        }

        /** Longest bearer token handed to the authenticator, 256 to 65536 characters (default 8192). */
        public Builder maxTokenLength(int max) {
            if (max < 256 || max > 65_536) {
                throw new IllegalArgumentException("maxTokenLength must be between 256 and 65536");
            }
            this.maxTokenLength = max;
            return this;
        }

        /**
         * Builds the policy. An enabled policy must allow at least one workload or trust domain:
         * one that allows nobody would call the authenticator only to refuse every caller, which is
         * what {@link #disableBearer()} says plainly.
         */
        public BearerTransitionPolicy build() {
            if (enabled && authenticator == null) {
                throw new IllegalStateException("authenticator(...) is required unless disableBearer() ended the transition");
            }
            if (enabled && allowed.isEmpty()) {
                throw new IllegalStateException("the policy allows no workload and no trust domain to use bearer tokens;"
                        + " call disableBearer() to end the transition");
            }
            return new BearerTransitionPolicy(this);
        }
    }
}
