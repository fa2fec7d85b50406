package io.wimse4j.core.jose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Claims;
import io.wimse4j.core.internal.ClaimsBridge;
import io.wimse4j.core.internal.JwkBridge;
import io.wimse4j.core.internal.JwkKeys;
import io.wimse4j.core.internal.StrictJson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The claims of a JWT (or a JSON object nested in them), read with the reasons the rules ask for:
 * an absent required claim is {@link Reason#MISSING_CLAIM}, a claim of the wrong JSON type
 * {@link Reason#INVALID_CLAIM}. Registered claims keep their RFC 7519 meaning (C2-5). Claims a
 * reader does not ask for are kept but never interpreted (WIT-11). Immutable.
 */
public final class JwtClaims {
    /** Most entries accepted in an {@code aud} array. */
    public static final int MAX_AUDIENCES = 32;

    static {
        ClaimsBridge.register(c -> c.claims);
    }

    private final ObjectNode claims;
    private final String label;

    JwtClaims(ObjectNode claims, String label) {
        this.claims = claims;
        this.label = label;
    }

    /** What these claims belong to, for error details ("WIT", "WPT", ...). */
    public String label() {
        return label;
    }

    /** True when member {@code name} is present (and not JSON {@code null}). */
    public boolean has(String name) {
        JsonNode n = claims.get(name);
        return n != null && !n.isNull();
    }

    /** An optional string claim; present but not a string is {@link Reason#INVALID_CLAIM}. */
    public Optional<String> string(String name) throws WimseException {
        return Claims.optionalString(claims, name, label);
    }

    /** A required string claim. */
    public String requiredString(String name) throws WimseException {
        return Claims.requiredString(claims, name, label);
    }

    /** An optional NumericDate claim (RFC 7519 section 2), fractional seconds floored. */
    public Optional<Instant> time(String name) throws WimseException {
        return Claims.optionalTime(claims, name, label);
    }

    /** A required NumericDate claim. */
    public Instant requiredTime(String name) throws WimseException {
        return Claims.requiredTime(claims, name, label);
    }

    /** The {@code jti}, if present: 1 to 256 characters. */
    public Optional<String> jwtId() throws WimseException {
        return Claims.jwtId(claims, label);
    }

    /**
     * The {@code aud} values (RFC 7519 4.1.3: a string or an array of strings); empty when absent.
     * An array of more than {@value #MAX_AUDIENCES} entries, or of non-strings, is
     * {@link Reason#INVALID_CLAIM}.
     */
    public List<String> audiences() throws WimseException {
        JsonNode aud = claims.get("aud");
        if (aud == null || aud.isNull()) {
            return List.of();
        }
        if (aud.isTextual()) {
            return List.of(aud.textValue());
        }
        if (!aud.isArray()) {
            throw new WimseException(Reason.INVALID_CLAIM, label + " 'aud' must be a string or an array of strings");
        }
        if (aud.size() > MAX_AUDIENCES) {
            throw new WimseException(Reason.INVALID_CLAIM, label + " 'aud' has more than " + MAX_AUDIENCES + " entries");
        }
        List<String> out = new ArrayList<>(aud.size());
        for (JsonNode a : aud) {
            if (!a.isTextual()) {
                throw new WimseException(Reason.INVALID_CLAIM, label + " 'aud' entries must be strings");
            }
            out.add(a.textValue());
        }
        return out;
    }

    /** The number of entries when {@code aud} is an array (even of one entry), -1 when it is not an array. */
    public int audienceArraySize() {
        JsonNode aud = claims.get("aud");
        return aud != null && aud.isArray() ? aud.size() : -1;
    }

    /** A nested JSON object claim, if present; present but not an object is {@link Reason#INVALID_CLAIM}. */
    public Optional<JwtClaims> object(String name) throws WimseException {
        JsonNode n = claims.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            throw new WimseException(Reason.INVALID_CLAIM, label + " claim '" + name + "' is not a JSON object");
        }
        return Optional.of(new JwtClaims((ObjectNode) n, label + " '" + name + "'"));
    }

    /**
     * An object claim whose members are all strings (such as the WPT's {@code oth}), empty when
     * absent; anything else is {@link Reason#INVALID_CLAIM}.
     */
    public Map<String, String> stringMap(String name) throws WimseException {
        JsonNode n = claims.get(name);
        if (n == null) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw new WimseException(Reason.INVALID_CLAIM, label + " '" + name + "' is not a JSON object");
        }
        Map<String, String> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new WimseException(Reason.INVALID_CLAIM, label + " '" + name + "' entry '" + e.getKey() + "' is not a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    /**
     * These claims read as a public JWK (a WIT's {@code cnf.jwk}): private members, symmetric keys,
     * points off the curve are {@link Reason#INVALID_KEY}.
     */
    public PublicJwk asPublicJwk() throws WimseException {
        return JwkBridge.wrap(JwkKeys.parsePublic(claims));
    }

    /** One claim as a plain Java value (String, Number, Boolean, List, Map), if present. */
    public Optional<Object> value(String name) {
        JsonNode n = claims.get(name);
        return n == null ? Optional.empty() : Optional.ofNullable(StrictJson.toJava(n));
    }

    /** All claims as plain Java values; a new unmodifiable map each call. */
    public Map<String, Object> asMap() {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) StrictJson.toJava(claims);
        return Collections.unmodifiableMap(map);
    }

    @Override
    public String toString() {
        return "JwtClaims[" + label + ", " + claims.size() + " members]";
    }
}
