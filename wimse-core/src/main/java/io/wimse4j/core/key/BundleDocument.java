package io.wimse4j.core.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.JwkKeys;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.jose.JwsAlgorithm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads the documents a {@link TrustBundle} is loaded from (ALG-2): a plain JWKS (or one JWK), a
 * SPIFFE bundle (SPIFFE Trust Domain and Bundle, section 4; WIT-SVID, section 6) or a go-spiffe WIT
 * bundle (a JWKS whose every key is a WIT-SVID key). The rules for the two SPIFFE forms:
 * <ul>
 *   <li>{@code keys} is required and an array; every entry a JSON object.</li>
 *   <li>Only {@code "use": "wit-svid"} entries (in a WIT bundle also entries without {@code use})
 *       become WIT keys; {@code x509-svid}, {@code jwt-svid}, other uses and, in a SPIFFE bundle,
 *       entries without {@code use} are ignored (section 4.2.2), so a JWT-SVID key never verifies a WIT.</li>
 *   <li>A WIT key needs a non-empty string {@code kid}; no two SVID entries (x509, JWT or WIT) share
 *       one (WIT-SVID 6.1); {@code use} and {@code kid} must be strings.</li>
 *   <li>An entry of an unknown {@code kty} is ignored (4.2.1), as is a key of an algorithm wimse4j
 *       does not implement (ES512, RS384...); a private or symmetric WIT key refuses the document.</li>
 *   <li>{@code spiffe_sequence} and {@code spiffe_refresh_hint}, when present, are JSON integers
 *       from 0 to 2^63-1 (a string, fraction, {@code null} or negative value refuses the document).</li>
 *   <li>No WIT key at all is allowed: the trust domain then verifies no WIT (4.1.3, WIT-SVID 6.2).</li>
 * </ul>
 * Every refusal is {@link Reason#INVALID_KEY} with a detail naming the member and entry.
 */
final class BundleDocument {
    static final String WIT_SVID = "wit-svid";
    static final String SEQUENCE = "spiffe_sequence";
    static final String REFRESH_HINT = "spiffe_refresh_hint";
    /** The SVID uses of SPIFFE bundle entries whose {@code kid}s must be unique. */
    private static final Set<String> SVID_USES = Set.of("x509-svid", "jwt-svid", WIT_SVID);
    /** Key types RFC 7518/8037 define; an entry of any other is ignored. */
    private static final Set<String> KNOWN_KEY_TYPES = Set.of("EC", "OKP", "RSA", "oct");
    private static final Set<JwsAlgorithm> ALL = EnumSet.allOf(JwsAlgorithm.class);

    /**
     * A document read.
     *
     * @param otherSvidKids the {@code kid}s of SVID entries that are not WIT keys, with their {@code use}
     */
    record Parsed(TrustBundle.Format format, List<TrustedKey> keys, OptionalLong sequence,
                  Optional<Duration> refreshHint, Map<String, String> otherSvidKids) {
    }

    private BundleDocument() {
    }

    /** Reads {@code json} as {@code format}, or detects the format when {@code format} is null. */
    static Parsed read(String json, TrustBundle.Format format) throws WimseException {
        ObjectNode root = StrictJson.parseObject(json, format == null || format == TrustBundle.Format.JWKS ? "JWKS"
                : describe(format));
        TrustBundle.Format f = format != null ? format : detect(root);
        if (f == TrustBundle.Format.JWKS) {
            return new Parsed(f, TrustedKey.fromJwks(root, ALL, true, false, TrustBundle.MAX_KEYS),
                    OptionalLong.empty(), Optional.empty(), Map.of());
        }
        return readSpiffe(root, f);
    }

    /**
     * A SPIFFE bundle when the document has a {@code spiffe_*} member or an entry whose {@code use}
     * ends with {@code -svid}; a plain JWKS otherwise.
     */
    static TrustBundle.Format detect(ObjectNode root) {
        if (root.has(SEQUENCE) || root.has(REFRESH_HINT)) {
            return TrustBundle.Format.SPIFFE_BUNDLE;
        }
        JsonNode keys = root.get("keys");
        if (keys != null && keys.isArray()) {
            for (JsonNode k : keys) {
                JsonNode use = k.get("use");
                if (use != null && use.isTextual() && use.textValue().endsWith("-svid")) {
                    return TrustBundle.Format.SPIFFE_BUNDLE;
                }
            }
        }
        return TrustBundle.Format.JWKS;
    }

    private static Parsed readSpiffe(ObjectNode root, TrustBundle.Format format) throws WimseException {
        String what = describe(format);
        OptionalLong sequence = integer(root, SEQUENCE, what);
        OptionalLong hint = integer(root, REFRESH_HINT, what);
        JsonNode entries = root.get("keys");
        if (entries == null || !entries.isArray()) {
            throw invalid(what + (entries == null ? " needs a 'keys' array" : " 'keys' is not an array"));
        }
        Map<String, String> usesByKid = new LinkedHashMap<>();
        List<TrustedKey> keys = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String where = what + " entry " + i;
            if (!entry.isObject()) {
                throw invalid(where + " is not a JSON object");
            }
            Optional<String> use = string(entry, "use", where);
            Optional<String> kid = string(entry, "kid", where);
            for (String member : JwkKeys.PRIVATE_MEMBERS) { // in any entry, WIT key or not: a leaked private key
                if (entry.has(member)) {
                    throw invalid(where + " carries the private member '" + member + "': a bundle publishes public keys only");
                }
            }
            boolean wit = use.map(WIT_SVID::equals).orElse(format == TrustBundle.Format.WIT_BUNDLE);
            if (wit && kid.isEmpty()) {
                throw invalid(where + " (" + WIT_SVID + ") has no 'kid': a WIT-SVID key needs one (WIT-SVID 6.1)");
            }
            if ((wit || use.filter(SVID_USES::contains).isPresent()) && kid.isPresent()) {
                String before = usesByKid.putIfAbsent(kid.get(), wit ? WIT_SVID : use.get());
                if (before != null) {
                    throw invalid(where + " has the 'kid' of an earlier " + before + " entry: kids are unique in a bundle (WIT-SVID 6.1)");
                }
            }
            JsonNode kty = entry.get("kty");
            if (!wit || kty != null && kty.isTextual() && !KNOWN_KEY_TYPES.contains(kty.textValue())) {
                continue; // not a WIT key, or a key type nobody defined (section 4.2.1)
            }
            ObjectNode key = ((ObjectNode) entry).deepCopy();
            key.remove("use"); // classified: what is left is a plain public JWK
            try {
                JWK jwk = JwkKeys.parsePublic(key);
                if (JwkKeys.isForSignatures(jwk)) {
                    TrustedKey.addKeys(jwk, ALL, true, keys);
                }
            } catch (WimseException e) {
                throw invalid(where + ": " + e.detail());
            }
        }
        if (keys.size() > TrustBundle.MAX_KEYS) {
            throw invalid(what + " holds more than " + TrustBundle.MAX_KEYS + " WIT keys");
        }
        Map<String, String> others = new LinkedHashMap<>(usesByKid);
        others.values().removeIf(WIT_SVID::equals);
        return new Parsed(format, keys, sequence,
                hint.isPresent() ? Optional.of(Duration.ofSeconds(hint.getAsLong())) : Optional.empty(), Map.copyOf(others));
    }

    /** An optional member that must be a JSON integer from 0 to 2^63-1. */
    private static OptionalLong integer(ObjectNode root, String name, String what) throws WimseException {
        JsonNode n = root.get(name);
        if (n == null) {
            return OptionalLong.empty();
        }
        if (!n.isIntegralNumber()) {
            throw invalid(what + " '" + name + "' must be a JSON integer, not " + kind(n));
        }
        if (!n.canConvertToLong() || n.longValue() < 0) {
            throw invalid(what + " '" + name + "' must be between 0 and 2^63-1");
        }
        return OptionalLong.of(n.longValue());
    }

    /** An optional member that must be a non-empty string. */
    private static Optional<String> string(JsonNode entry, String name, String where) throws WimseException {
        JsonNode n = entry.get(name);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isTextual() || n.textValue().isEmpty()) {
            throw invalid(where + " '" + name + "' must be a non-empty string, not " + (n.isTextual() ? "empty" : kind(n)));
        }
        return Optional.of(n.textValue());
    }

    private static String kind(JsonNode n) {
        return n.isNumber() && !n.isIntegralNumber() ? "a fraction" : "a JSON " + n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    static String describe(TrustBundle.Format format) {
        return switch (format) {
            case SPIFFE_BUNDLE -> "the SPIFFE bundle";
            case WIT_BUNDLE -> "the WIT bundle";
            default -> "the JWKS";
        };
    }

    private static WimseException invalid(String detail) {
        return new WimseException(Reason.INVALID_KEY, detail + " (ALG-2)");
    }
}
