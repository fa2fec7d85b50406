package io.wimse4j.core.jose;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.CompactJws;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The one verification pipeline of every JWT wimse4j reads (the WIT, the WPT, the Identity
 * Server's proof of possession, the Kubernetes service-account token, and whatever kind comes
 * next). In order, each failure with its own {@link Reason}:
 * <ol>
 *   <li>size before parsing ({@link Reason#TOKEN_TOO_LARGE});</li>
 *   <li>strict compact JWS: three non-empty parts of canonical base64url, duplicate-free UTF-8 JSON
 *       objects (V-2: {@link Reason#MALFORMED_TOKEN}, {@link Reason#BAD_ENCODING},
 *       {@link Reason#INVALID_JSON});</li>
 *   <li>no {@code crit} ({@link Reason#UNSUPPORTED_CRIT});</li>
 *   <li>{@code typ} (WIT-2, V-5: {@link Reason#WRONG_TYP});</li>
 *   <li>{@code alg} on the allowlist, never {@code none} or HMAC (WIT-1: {@link Reason#UNSUPPORTED_ALG});</li>
 *   <li>the registered claims through the {@link ClaimsValidator} (C2-5, SEC-2);</li>
 *   <li>the keys from the kind's {@link KeySource}, never from the token (C2-1, ID-3);</li>
 *   <li>the signature (V-4: {@link Reason#BAD_SIGNATURE}).</li>
 * </ol>
 * Cheap checks come before the signature. Immutable and thread-safe; build it with {@link #builder()}.
 */
public final class JwsVerifier {
    /** Default maximum size of one token, in characters. */
    public static final int DEFAULT_MAX_TOKEN_LENGTH = CompactJws.DEFAULT_MAX_TOKEN_LENGTH;

    private final String label;
    private final String type;
    private final boolean typeOptional;
    private final Set<JwsAlgorithm> algorithms;
    private final int maxTokenLength;
    private final ClaimsValidator claims;

    private JwsVerifier(Builder b) {
        this.label = b.label;
        this.type = b.type.toLowerCase(Locale.ROOT);
        this.typeOptional = b.typeOptional;
        this.algorithms = EnumSet.copyOf(b.algorithms);
        this.maxTokenLength = b.maxTokenLength;
        this.claims = b.claims;
    }

    /** A new builder; type, algorithms and claims validator are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Verifies {@code token} at the claims validator's current instant. */
    public VerifiedJws verify(String token, KeySource keys) throws WimseException {
        return verify(token, claims.clock().instant(), keys);
    }

    /** Verifies {@code token} at instant {@code now}, with the keys {@code keys} selects. */
    public VerifiedJws verify(String token, Instant now, KeySource keys) throws WimseException {
        CompactJws jws = CompactJws.parse(token, maxTokenLength); // empty and size first, before any decoding
        jws.rejectCritical();
        checkType(jws);
        String algName = jws.algorithmName();
        JwsAlgorithm alg = JwsAlgorithm.fromJwaName(algName).filter(algorithms::contains).orElseThrow(() ->
                new WimseException(Reason.UNSUPPORTED_ALG, label + " 'alg' " + printable(algName) + " is not accepted"));
        JwsHeader header = new JwsHeader(jws.header(), alg, algName);
        JwtClaims body = new JwtClaims(jws.payload(), label);
        Instant exp = claims.validate(body, now);

        List<SignatureVerifier> candidates = keys.candidates(header, body);
        if (candidates == null || candidates.isEmpty()) {
            throw new WimseException(Reason.UNKNOWN_KEY, "no key may have signed this " + label);
        }
        for (int i = 0; i < candidates.size(); i++) { // indexed: no iterator on the hot path
            SignatureVerifier v = candidates.get(i);
            if (v.algorithm() == alg && jws.verifyWith(v)) {
                return new VerifiedJws(token, header, body, exp, v);
            }
        }
        throw new WimseException(Reason.BAD_SIGNATURE, label + " signature does not verify");
    }

    private void checkType(CompactJws jws) throws WimseException {
        if (typeOptional && !jws.header().has("typ")) {
            return;
        }
        jws.requireType(type);
    }

    /** An attacker-chosen value, bounded and without control characters, for a detail message. */
    static String printable(String s) {
        String t = s.length() > 16 ? s.substring(0, 16) + "..." : s;
        return t.codePoints().allMatch(c -> c >= 0x20 && c < 0x7f) ? t : "(unprintable)";
    }

    /** The claims validator. */
    public ClaimsValidator claimsValidator() {
        return claims;
    }

    /** The longest token accepted, in characters. */
    public int maxTokenLength() {
        return maxTokenLength;
    }

    /** Builder for {@link JwsVerifier}. */
    public static final class Builder {
        private String label = "token";
        private String type;
        private boolean typeOptional;
        private Set<JwsAlgorithm> algorithms;
        private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
        private ClaimsValidator claims;

        private Builder() {
        }

        /** What the token is called in error details, e.g. {@code WIT} (default {@code token}). */
        public Builder label(String label) {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("label must not be blank");
            }
            this.label = label;
            return this;
        }

        /**
         * The required {@code typ} (e.g. {@code wit+jwt}), compared without case and with or without
         * {@code application/} (RFC 7515 4.1.9).
         */
        public Builder type(String typ) {
            this.type = nonBlank(typ);
            this.typeOptional = false;
            return this;
        }

        /** As {@link #type(String)}, but a header without {@code typ} is accepted too (plain JWTs). */
        public Builder typeIfPresent(String typ) {
            this.type = nonBlank(typ);
            this.typeOptional = true;
            return this;
        }

        /** The accepted signature algorithms (required, not empty). */
        public Builder algorithms(Set<JwsAlgorithm> accepted) {
            if (accepted == null || accepted.isEmpty()) {
                throw new IllegalArgumentException("at least one algorithm is required");
            }
            this.algorithms = EnumSet.copyOf(accepted);
            return this;
        }

        /** Longest token accepted, 256 to 1048576 characters (default 8192). */
        public Builder maxTokenLength(int max) {
            if (max < 256 || max > 1 << 20) {
                throw new IllegalArgumentException("maxTokenLength must be between 256 and 1048576");
            }
            this.maxTokenLength = max;
            return this;
        }

        /** The registered-claim checks (required). */
        public Builder claims(ClaimsValidator validator) {
            this.claims = Objects.requireNonNull(validator, "validator");
            return this;
        }

        private static String nonBlank(String typ) {
            if (typ == null || typ.isBlank()) {
                throw new IllegalArgumentException("typ must not be blank");
            }
            return typ;
        }

        /** Builds the verifier. */
        public JwsVerifier build() {
            if (type == null) {
                throw new IllegalStateException("type(...) or typeIfPresent(...) is required");
            }
            if (algorithms == null) {
                throw new IllegalStateException("algorithms(...) is required");
            }
            if (claims == null) {
                throw new IllegalStateException("claims(...) is required");
            }
            return new JwsVerifier(this);
        }
    }
}
