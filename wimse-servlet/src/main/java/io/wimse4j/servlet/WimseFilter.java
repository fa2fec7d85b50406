package io.wimse4j.servlet;

import io.wimse4j.core.authz.AuthorizationRequest;
import io.wimse4j.core.authz.CallerAuthorizer;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.x509.VerifiedWic;
import io.wimse4j.x509.WicValidator;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Verifies every request's {@code Workload-Identity-Token} and its proof, in {@code Workload-Proof-Token}
 * (the seed transport) or {@code Authorization: WPT} (wpt-02, P2-1), with a {@link RequestVerifier}, then asks a {@link CallerAuthorizer} (an {@link AuthorizationPolicy} of path
 * and method rules, or any other) whether the caller may send this request.
 *
 * <p>The target URI handed to the verifier is the configured external base URI followed by the
 * request's raw path and query; it is never derived from {@code Host} or {@code X-Forwarded-Host}.
 * Every value of every header is passed on, repeated headers kept in order.
 *
 * <p>On success the request continues with attribute {@value #CALLER_ATTRIBUTE} set to the
 * {@link VerifiedCaller}, attribute {@value #AUTHENTICATION_METHOD_ATTRIBUTE} set to
 * {@link AuthenticationMethod#WIMSE} and {@link HttpServletRequest#getUserPrincipal()} answering a
 * {@link WorkloadPrincipal}. A rejected request gets {@link WimseException#httpStatus()} with an RFC 9457
 * body: 400 (V-14), 503 when the replay store is down, and 401 with {@code WWW-Authenticate: WPT} for a
 * credential failure under the wpt-02 transport (P2-4); an authenticated caller the authorizer denies
 * gets 403 {@link FilterProblem#FORBIDDEN}. Every body is written by core's {@link ProblemDetails} and
 * carries its {@code code}. Each request writes one line to the SLF4J logger {@value #AUDIT_LOGGER}: method, path,
 * caller, decision, reason and authentication mechanism ({@code auth=wimse|bearer|-}), never a token
 * or header value.
 *
 * <p>A WIT sent in {@code Authorization} is always refused (WIT-9). Bearer tokens are refused unless
 * the opt-in {@link Builder#bearerTransition(BearerTransitionPolicy)} is configured (WIT-12): then a
 * request with only {@code Authorization: Bearer} is authenticated by the application's
 * {@link BearerAuthenticator}, re-checked against the policy's allow list, and authorized by the same
 * {@link CallerAuthorizer}; it continues with the principal's {@link WorkloadPrincipal#method()}
 * and the attribute {@value #AUTHENTICATION_METHOD_ATTRIBUTE} set to
 * {@link AuthenticationMethod#BEARER}, and <em>without</em> {@value #CALLER_ATTRIBUTE}, which only a
 * verified WIT and WPT produce. A request carrying any WIMSE header, or {@code Authorization: WPT}, is
 * always verified the WIMSE way: no bearer token of such a request names or authorizes the caller (P2-3).
 * With {@link Builder#httpSignatures}, a request signed with an HTTP Message Signature is verified that
 * way instead ({@link AuthenticationMethod#HTTP_SIGNATURE}, HS-1..HS-9), its answer signed (HS-6).
 */
public final class WimseFilter implements Filter {
    /** The request attribute holding the {@link VerifiedCaller}. */
    public static final String CALLER_ATTRIBUTE = "io.wimse4j.caller";
    /**
     * The request attribute holding the caller's validated Workload Identity Certificate
     * ({@link VerifiedWic}) in mutual-TLS mode (WIC-4).
     */
    public static final String CERTIFICATE_ATTRIBUTE = "io.wimse4j.wic";
    /**
     * The request attribute holding the {@link io.wimse4j.httpsig.VerifiedSignedRequest} of a request
     * authenticated by an HTTP Message Signature ({@link AuthenticationMethod#HTTP_SIGNATURE}).
     */
    public static final String SIGNED_REQUEST_ATTRIBUTE = "io.wimse4j.signedRequest";
    /** Default {@link Builder#signedBodyLimit(int)}: 1 MiB. */
    public static final int DEFAULT_SIGNED_BODY_LIMIT = 1024 * 1024;
    /** The name of the audit logger. */
    public static final String AUDIT_LOGGER = "io.wimse4j.audit";

    /**
     * The request attribute holding the {@link AuthenticationMethod} that authenticated the caller
     * (WIT-12): {@code WIMSE}, or {@code BEARER} under a {@link BearerTransitionPolicy}.
     */
    public static final String AUTHENTICATION_METHOD_ATTRIBUTE = "io.wimse4j.authenticationMethod";

    private static final String WIMSE = AuthenticationMethod.WIMSE.auditName();
    private static final String BEARER = AuthenticationMethod.BEARER.auditName();
    private static final String MTLS = AuthenticationMethod.MUTUAL_TLS.auditName();

    private final RequestVerifier verifier;
    private final String base;
    private final CallerAuthorizer authorization;
    private final BearerTransitionPolicy bearer;
    private final MutualTlsCaller mutualTls;
    private final boolean mutualTlsWithTokens;
    private final HttpSignatureMode signatures;
    private final ProblemWriter problems;

    private WimseFilter(Builder b) {
        this.verifier = b.verifier;
        this.base = b.base;
        this.authorization = b.authorization;
        this.bearer = b.bearer;
        this.mutualTls = b.mutualTls == null ? null : new MutualTlsCaller(b.mutualTls);
        this.mutualTlsWithTokens = b.mutualTlsWithTokens;
        this.signatures = b.signatureVerifier == null ? null
                : new HttpSignatureMode(b.signatureVerifier, b.responseSigner, b.alwaysSignResponses, b.signedBodyLimit, b.problems);
        this.problems = b.problems;
    }

    /** A new builder; {@code verifier} and {@code externalBaseUri} are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            throw new ServletException("WimseFilter handles HTTP requests only");
        }
        // a refusal never reads the body: announce that the connection closes; taken back once the request is let through
        FilterRequests.closeOnRefusal(request, response);
        String method = request.getMethod();
        String path = FilterRequests.applicationPath(request);

        URI target;
        AuthorizationRequest asked;
        try {
            target = FilterRequests.targetUri(base, request);
            asked = AuthorizationRequest.http(method, path);
        } catch (IllegalArgumentException e) {
            audit(method, path, null, "-", "reject", FilterProblem.INVALID_TARGET.name());
            ProblemResponses.write(problems, ProblemDetails.of(FilterProblem.INVALID_TARGET, "the request target cannot form a URI"), response);
            return;
        }

        if (mutualTls != null) {
            authenticateMutualTls(request, response, chain, asked, target);
            return;
        }

        if (isBearerOnly(request)) {
            BearerMode.handle(problems, bearer, request, response, asked,
                    (req2, res2, principal) -> authorizeAndContinue(req2, res2, chain, asked, principal, null));
            return;
        }

        HttpRequestFacts facts = FilterRequests.facts(request, method, target);
        if (signatures != null) {
            boolean signed = HttpSignatureVerifier.isSigned(facts);
            if (signed || verifier == null) {
                signatures.handle(request, response, asked, facts, signed,
                        (req2, res2, principal) -> authorizeAndContinue(req2, res2, chain, asked, principal, null));
                return;
            }
        }
        VerifiedCaller caller;
        try {
            caller = verifier.verify(facts);
        } catch (WimseException e) {
            audit(method, path, null, WIMSE, "reject", e.reason().name());
            ProblemResponses.write(problems, e, response);
            return;
        } catch (RuntimeException e) {
            audit(method, path, null, WIMSE, "reject", "INTERNAL_ERROR");
            throw e;
        }
        authorizeAndContinue(request, response, chain, asked, new WorkloadPrincipal(caller.workload()), caller);
    }

    /** True when a {@link BearerTransitionPolicy} is enabled and the request is bearer-only ({@link FilterRequests#isBearerOnly}). */
    private boolean isBearerOnly(HttpServletRequest request) {
        return bearer != null && bearer.enabled() && FilterRequests.isBearerOnly(request);
    }

    /**
     * The mutual-TLS path: the caller is the client certificate's one URI SAN, validated for its trust
     * domain (WIC-4, MT-1); headers never name it (MT-6). With tokens as well, the WIT and WPT must verify
     * and name the same workload (defence in depth).
     */
    private void authenticateMutualTls(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                                       AuthorizationRequest asked, URI target) throws IOException, ServletException {
        VerifiedWic peer;
        try {
            peer = mutualTls.caller(request);
        } catch (WimseException e) {
            audit(asked, null, MTLS, "reject", e.reason().name());
            ProblemResponses.write(problems, e, response);
            return;
        }
        VerifiedCaller tokens = null;
        if (mutualTlsWithTokens) {
            try {
                tokens = MutualTlsCaller.sameWorkload(peer, verifier.verify(FilterRequests.facts(request, request.getMethod(), target)));
            } catch (WimseException e) {
                audit(asked, peer.identifier(), MTLS, "reject", e.reason().name());
                ProblemResponses.write(problems, e, response);
                return;
            }
        }
        request.setAttribute(CERTIFICATE_ATTRIBUTE, peer);
        authorizeAndContinue(request, response, chain, asked, new WorkloadPrincipal(peer.identifier(), AuthenticationMethod.MUTUAL_TLS), tokens);
    }

    private void authorizeAndContinue(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                                      AuthorizationRequest asked, WorkloadPrincipal principal, VerifiedCaller verified)
            throws IOException, ServletException {
        String auth = principal.method().auditName();
        boolean permitted;
        try {
            permitted = authorization.permits(principal.workload(), asked);
        } catch (RuntimeException e) {
            // fail closed: the request never reaches the application
            audit(asked, principal.workload(), auth, "reject", "INTERNAL_ERROR");
            throw e;
        }
        if (!permitted) {
            audit(asked, principal.workload(), auth, "deny", FilterProblem.FORBIDDEN.name());
            ProblemResponses.write(problems, ProblemResponses.forbidden("workload " + principal.getName() + " may not "
                    + asked.method().orElse("-") + " this path"), response);
            return;
        }
        audit(asked, principal.workload(), auth, "allow", "-");
        if (verified != null) {
            request.setAttribute(CALLER_ATTRIBUTE, verified);
        }
        request.setAttribute(AUTHENTICATION_METHOD_ATTRIBUTE, principal.method());
        FilterRequests.keepConnection(request, response);
        chain.doFilter(new CallerRequest(request, principal), response);
    }

    private static void audit(AuthorizationRequest asked, WorkloadIdentifier caller, String auth, String decision,
                              String reason) {
        FilterRequests.audit(asked, caller, auth, decision, reason);
    }

    private static void audit(String method, String path, WorkloadIdentifier caller, String auth, String decision,
                              String reason) {
        FilterRequests.audit(method, path, caller, auth, decision, reason);
    }

    /** Builder for {@link WimseFilter}. */
    public static final class Builder {
        private RequestVerifier verifier;
        private String base;
        private CallerAuthorizer authorization = AuthorizationPolicy.allowAll();
        private BearerTransitionPolicy bearer;
        private WicValidator mutualTls;
        private boolean mutualTlsWithTokens;
        private HttpSignatureVerifier signatureVerifier;
        private HttpSignatureSigner responseSigner;
        private boolean alwaysSignResponses;
        private int signedBodyLimit = DEFAULT_SIGNED_BODY_LIMIT;
        private ProblemWriter problems = ProblemWriter.standard();

        private Builder() {
        }

        /**
         * Accepts requests signed with HTTP Message Signatures (draft-ietf-wimse-http-signature, HS-1..HS-9):
         * a request whose {@code Signature-Input} carries the WIMSE tag is verified by {@code verifier} (its
         * body read whole, up to {@link #signedBodyLimit(int)}, before anything else, HS-5, HS-7) and continues
         * with {@link AuthenticationMethod#HTTP_SIGNATURE} and the attribute {@value #SIGNED_REQUEST_ATTRIBUTE}.
         * With {@link #verifier(RequestVerifier)} as well, the service accepts both; a request carrying both a
         * WPT and a WIMSE signature is refused ({@link Reason#TWO_PROOF_TRANSPORTS}). Without it, every request
         * must be signed. Failures are 400 problems, each with its own reason (HS-9).
         */
        public Builder httpSignatures(HttpSignatureVerifier verifier) {
            this.signatureVerifier = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * Signs the responses to signed requests with the service's own credentials (HS-6, RECOMMENDED), bound
         * to their request by {@code wimse-req-nonce}; a response body is buffered up to
         * {@link #signedBodyLimit(int)} to be digested and signed. Past it, the response goes out unsigned unless
         * a signature is required (the request's {@code wimse-sign-response}, or {@link #alwaysSignResponses}),
         * in which case it is replaced by the 501 problem {@link Reason#SIGNED_RESPONSE_UNAVAILABLE}. Without a
         * signer, a request asking for a signed response is answered that 501 problem before the application runs.
         * Needs {@link #httpSignatures}.
         */
        public Builder signResponses(HttpSignatureSigner signer) {
            this.responseSigner = Objects.requireNonNull(signer, "signer");
            return this;
        }

        /** Local policy requiring every response to a signed request to be signed (HS-6); needs {@link #signResponses}. */
        public Builder alwaysSignResponses(boolean always) {
            this.alwaysSignResponses = always;
            return this;
        }

        /**
         * Largest request or response body read whole for an HTTP Message Signature, 0 to 64 MiB (default
         * {@value #DEFAULT_SIGNED_BODY_LIMIT} bytes): a larger signed request is refused with 413
         * {@link Reason#BODY_TOO_LARGE}.
         */
        public Builder signedBodyLimit(int bytes) {
            if (bytes < 0 || bytes > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("the signed body limit must be between 0 and 64 MiB");
            }
            this.signedBodyLimit = bytes;
            return this;
        }

        /**
         * Mutual-TLS mode (WIC-4, MT-1..MT-6): the caller is the URI SAN of the client certificate the
         * container read from the handshake, validated by {@code validator} (built {@code forClients()});
         * headers never name the caller. The container must request or require client certificates
         * (MT-2); a request without one is refused with {@link Reason#INVALID_CERTIFICATE}. Authorization,
         * audit ({@code auth=mtls}) and problems are those of the token mode.
         */
        public Builder mutualTls(WicValidator validator) {
            this.mutualTls = Objects.requireNonNull(validator, "validator");
            return this;
        }

        /**
         * In mutual-TLS mode, also require a WIT and WPT of the same workload as the certificate (default
         * false): defence in depth; needs {@link #verifier(RequestVerifier)}.
         */
        public Builder mutualTlsWithTokens(boolean both) {
            this.mutualTlsWithTokens = both;
            return this;
        }

        /** The request verifier of WIT + WPT requests (required unless {@link #httpSignatures} or mutual TLS alone). */
        public Builder verifier(RequestVerifier verifier) {
            this.verifier = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * The service's external base URI as callers address it (required), e.g.
         * {@code https://api.example.org} or {@code https://gw.example.org/svc}: an absolute http(s)
         * URI without query, fragment or user info. A trailing {@code /} is dropped.
         */
        public Builder externalBaseUri(URI uri) {
            Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getRawAuthority() == null
                    || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("external base URI must be an absolute http(s) URI with a host and no user info, query or fragment");
            }
            String s = uri.toString();
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            this.base = s;
            return this;
        }

        /**
         * Who may send which request (default {@link AuthorizationPolicy#allowAll()}): an
         * {@link AuthorizationPolicy} of path and method rules, or any {@link CallerAuthorizer}, e.g.
         * {@code CallerAuthorizer.memberOf(trustDomain)} or a composition. It is asked with the
         * caller's identifier and {@link AuthorizationRequest#http(String, String)} of the request's
         * method and path within the application, for WIMSE and bearer callers alike; a denial answers
         * 403 {@link FilterProblem#FORBIDDEN}. An exception it throws propagates and the request never
         * reaches the application.
         */
        public Builder authorization(CallerAuthorizer authorizer) {
            this.authorization = Objects.requireNonNull(authorizer, "authorizer");
            return this;
        }

        /**
         * Also accepts {@code Authorization: Bearer} tokens from the callers {@code policy} still
         * allows, during a transition to WIMSE (WIT-12). Off by default: without it every request
         * needs a WIT and a WPT.
         */
        public Builder bearerTransition(BearerTransitionPolicy policy) {
            this.bearer = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** How refusals are written (default {@link ProblemWriter#standard()}), e.g. as a framework's problem type (V-14). */
        public Builder problemWriter(ProblemWriter writer) {
            this.problems = Objects.requireNonNull(writer, "writer");
            return this;
        }

        /** Builds the filter. */
        public WimseFilter build() {
            if (verifier == null && signatureVerifier == null && (mutualTls == null || mutualTlsWithTokens)) {
                throw new IllegalStateException("verifier(...) or httpSignatures(...) is required");
            }
            if (verifier == null && mutualTlsWithTokens) {
                throw new IllegalStateException("mutualTlsWithTokens(true) needs verifier(...)");
            }
            if (signatureVerifier != null && mutualTls != null) {
                throw new IllegalStateException("mutualTls(...) contradicts httpSignatures(...)");
            }
            if (responseSigner != null && signatureVerifier == null) {
                throw new IllegalStateException("signResponses(...) needs httpSignatures(...)");
            }
            if (alwaysSignResponses && responseSigner == null) {
                throw new IllegalStateException("alwaysSignResponses(true) needs signResponses(...)");
            }
            if (mutualTlsWithTokens && mutualTls == null) {
                throw new IllegalStateException("mutualTlsWithTokens(true) needs mutualTls(...)");
            }
            if (mutualTls != null && bearer != null) {
                throw new IllegalStateException("mutualTls(...) contradicts bearerTransition(...)");
            }
            if (base == null) {
                throw new IllegalStateException("externalBaseUri(...) is required");
            }
            return new WimseFilter(this);
        }
    }
}
