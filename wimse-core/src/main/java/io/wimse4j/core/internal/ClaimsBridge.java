package io.wimse4j.core.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.jose.JwtClaims;

/**
 * Gives wimse4j's own packages the JSON object behind a {@link JwtClaims} (the WIT verifier keys its
 * prepared proof keys by the {@code cnf.jwk} object, WIT-7), without a public accessor. The object is
 * never modified. Not API.
 */
public final class ClaimsBridge {
    /** Implemented by {@link JwtClaims}, which registers itself when its class is initialized. */
    public interface Access {
        /** The object behind {@code claims}. */
        ObjectNode node(JwtClaims claims);
    }

    private static volatile Access access;

    private ClaimsBridge() {
    }

    /** Called once, by {@link JwtClaims}' static initializer. */
    public static void register(Access a) {
        access = a;
    }

    /** The JSON object behind {@code claims} (read only). */
    public static ObjectNode node(JwtClaims claims) {
        Access a = access;
        if (a == null) {
            try {
                Class.forName(JwtClaims.class.getName(), true, JwtClaims.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a.node(claims);
    }
}
