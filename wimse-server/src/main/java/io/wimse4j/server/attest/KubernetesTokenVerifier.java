package io.wimse4j.server.attest;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.ClaimsValidator;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwsVerifier;
import io.wimse4j.core.jose.JwtClaims;
import io.wimse4j.core.jose.VerifiedJws;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustedKey;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies a Kubernetes projected service-account token for the Identity Server's {@code kubernetes}
 * attestation method ({@code docs/identity-server-api.md}), and answers the
 * {@link KubernetesIdentity} it names.
 *
 * <p>Checks, in order: size before parsing, compact JWS with strict base64url and duplicate-free
 * JSON, no {@code crit}, {@code typ} absent or {@code JWT}, {@code alg} on the allowlist RS256/ES256
 * (never {@code none} or HMAC; RSA keys of at least 2048 bits), the key chosen by {@code kid} from the
 * cluster issuer's JWKS configured out of band (ID-3: never a key or URL named by the token), the
 * signature, {@code iss} equal to the configured issuer, {@code aud} (string or array) containing the
 * configured audience, {@code exp} required and not passed, {@code nbf} reached and {@code iat} not in
 * the future (with a leeway), and {@code sub} = {@code system:serviceaccount:<ns>:<sa>} agreeing with
 * the {@code kubernetes.io} claim's {@code namespace} and {@code serviceaccount.name}. Legacy
 * secret-based tokens (no {@code exp}, no audience) therefore fail. Every failure is a
 * {@link WimseException} whose detail never contains the token.
 *
 * <p>Immutable and thread-safe; build it with {@link #builder()}.
 */
public final class KubernetesTokenVerifier {
    /** The signature algorithms accepted: what Kubernetes API servers sign service-account tokens with. */
    public static final Set<JwsAlgorithm> ALGORITHMS = Set.copyOf(EnumSet.of(JwsAlgorithm.RS256, JwsAlgorithm.ES256));
    /** Default leeway for clock skew between the cluster and this server. */
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);
    /** Most entries accepted in an {@code aud} array. */
    public static final int MAX_AUDIENCES = io.wimse4j.core.jose.JwtClaims.MAX_AUDIENCES;

    private static final String WHAT = "service-account token";
    private static final String SUBJECT_PREFIX = "system:serviceaccount:";
    private static final String CLAIM = "kubernetes.io";
    /** A DNS-1123 label: what a namespace name must be. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** A DNS-1123 subdomain: what service-account and pod names must be. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int MAX_SUBDOMAIN_LENGTH = 253;

    private final String issuer;
    private final String audience;
    private final List<TrustedKey> keys;
    private final JwsVerifier jwsVerifier;

    private KubernetesTokenVerifier(Builder b, List<TrustedKey> keys) {
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.keys = List.copyOf(keys);
        // the shared pipeline (C2-5: exp boundary, iss expected, aud expected; C2-1: kid selection)
        this.jwsVerifier = JwsVerifier.builder().label(WHAT).typeIfPresent("JWT").algorithms(ALGORITHMS)
                .maxTokenLength(b.maxTokenLength)
                .claims(ClaimsValidator.builder().clock(b.clock).leeway(b.leeway)
                        .expectIssuers(Set.of(b.issuer)).expectAudience(Set.of(b.audience)).build())
                .build();
    }

    /** A new builder; {@code issuer}, {@code audience} and {@code jwks} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Verifies {@code token} and answers the namespace, service account and pod it names. */
    public KubernetesIdentity verify(String token) throws WimseException {
        VerifiedJws jws = jwsVerifier.verify(token, (header, claims) ->
                TrustedKey.select(keys, header.algorithm(), header.keyId(), false, "the cluster issuer's JWKS"));
        return identity(jws.claims());
    }

    /** Reads the {@code kubernetes.io} claim and requires {@code sub} to agree with it. */
    private static KubernetesIdentity identity(JwtClaims claims) throws WimseException {
        String sub = claims.requiredString("sub");
        JwtClaims info = claims.object(CLAIM).orElseThrow(() ->
                new WimseException(Reason.MISSING_CLAIM, WHAT + " has no '" + CLAIM + "' claim"));
        String namespace = info.requiredString("namespace");
        if (!DNS_LABEL.matcher(namespace).matches()) {
            throw new WimseException(Reason.INVALID_CLAIM, WHAT + " namespace is not a DNS-1123 label");
        }
        String serviceAccount = name(info, "serviceaccount", true).orElseThrow();
        Optional<String> pod = name(info, "pod", false);
        String expected = SUBJECT_PREFIX + namespace + ":" + serviceAccount;
        if (!sub.equals(expected)) {
            throw new WimseException(Reason.INVALID_CLAIM, WHAT + " 'sub' does not agree with its '" + CLAIM
                    + "' namespace and service account");
        }
        return new KubernetesIdentity(namespace, serviceAccount, pod, sub);
    }

    /** The {@code name} of object member {@code member} of the {@code kubernetes.io} claim (a DNS-1123 subdomain). */
    private static Optional<String> name(JwtClaims info, String member, boolean required) throws WimseException {
        Optional<JwtClaims> n = info.object(member);
        if (n.isEmpty()) {
            if (required) {
                throw new WimseException(Reason.MISSING_CLAIM, WHAT + " has no '" + CLAIM + "." + member + "' claim");
            }
            return Optional.empty();
        }
        String name = n.get().requiredString("name");
        if (name.length() > MAX_SUBDOMAIN_LENGTH || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw new WimseException(Reason.INVALID_CLAIM, WHAT + " '" + CLAIM + "." + member + "' name is not a DNS-1123 subdomain");
        }
        return Optional.of(name);
    }

    /** The configured cluster issuer. */
    public String issuer() {
        return issuer;
    }

    /** The audience a token must be issued for. */
    public String audience() {
        return audience;
    }

    /** Builder for {@link KubernetesTokenVerifier}; validates in {@link #build()}. */
    public static final class Builder {
        private String issuer;
        private String audience;
        private String jwks;
        private Clock clock = Clock.systemUTC();
        private Duration leeway = DEFAULT_LEEWAY;
        private int maxTokenLength = JwsVerifier.DEFAULT_MAX_TOKEN_LENGTH;

        private Builder() {
        }

        /** The cluster's service-account issuer (required), compared exactly with {@code iss}. */
        public Builder issuer(String issuer) {
            this.issuer = nonBlank(issuer, "issuer");
            return this;
        }

        /**
         * The audience tokens must be requested for (required), e.g. the Identity Server's URL; never
         * the issuer or the API server's in-cluster name, whose tokens every pod holds.
         */
        public Builder audience(String audience) {
            this.audience = nonBlank(audience, "audience");
            return this;
        }

        /**
         * The cluster issuer's JWKS (required), configured out of band (e.g. from
         * {@code /openid/v1/jwks}); it is never fetched from anything the token names.
         */
        public Builder jwks(String jwksJson) {
            this.jwks = nonBlank(jwksJson, "jwks");
            return this;
        }

        /** The clock (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Allowed clock skew, 0 to 5 minutes (default 30 s). */
        public Builder leeway(Duration leeway) {
            this.leeway = ClaimsValidator.checkLeeway(leeway);
            return this;
        }

        /** Longest token accepted, 256 to 65536 characters (default 8192). */
        public Builder maxTokenLength(int max) {
            if (max < 256 || max > 65_536) {
                throw new IllegalArgumentException("maxTokenLength must be between 256 and 65536");
            }
            this.maxTokenLength = max;
            return this;
        }

        /**
         * Builds the verifier. The JWKS must hold at least one RS256 or ES256 signature key; keys of
         * other algorithms are skipped, unusable keys (RSA under 2048 bits, points off the curve,
         * private or symmetric keys) reject the whole JWKS.
         */
        public KubernetesTokenVerifier build() {
            if (issuer == null) {
                throw new IllegalStateException("issuer(...) is required");
            }
            if (audience == null) {
                throw new IllegalStateException("audience(...) is required");
            }
            if (jwks == null) {
                throw new IllegalStateException("jwks(...) is required");
            }
            if (isApiServerAudience(audience, issuer)) {
                throw new IllegalStateException("the audience must be this server's own, not the API server's (its"
                        + " audiences default to the issuer): every pod's automounted token carries that audience");
            }
            try {
                return new KubernetesTokenVerifier(this, parseKeys(jwks));
            } catch (WimseException e) {
                throw new IllegalArgumentException("unusable cluster JWKS: " + e.detail(), e);
            }
        }

        private static List<TrustedKey> parseKeys(String json) throws WimseException {
            // the one JWKS reader; keys of algorithms wimse4j does not know (RS512, ...) are skipped
            return TrustedKey.fromJwks(json, ALGORITHMS, false, true, TrustBundle.MAX_KEYS);
        }

        /**
         * True for the issuer (the API server's default audience) and the in-cluster API server names:
         * audiences of the tokens pods present to the API server, never to be accepted as attestation.
         */
        private static boolean isApiServerAudience(String audience, String issuer) {
            String a = audience.toLowerCase(Locale.ROOT);
            if (a.startsWith("https://")) {
                a = a.substring("https://".length());
            }
            return audience.equals(issuer) || a.equals("kubernetes.default.svc") || a.startsWith("kubernetes.default.svc.");
        }

        private static String nonBlank(String s, String what) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return s;
        }
    }
}
