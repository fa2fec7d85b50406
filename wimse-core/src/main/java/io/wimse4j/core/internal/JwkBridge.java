package io.wimse4j.core.internal;

import com.nimbusds.jose.jwk.JWK;
import io.wimse4j.core.jose.PublicJwk;

/**
 * Converts between wimse4j's {@link PublicJwk} and the Nimbus {@link JWK} behind it, for wimse4j's
 * own modules; Nimbus types never appear in the public API. Not API.
 */
public final class JwkBridge {
    /** Implemented by {@link PublicJwk}, which registers itself when its class is initialized. */
    public interface Access {
        /** Wraps a checked public JWK. */
        PublicJwk wrap(JWK jwk);

        /** The JWK behind {@code key}. */
        JWK unwrap(PublicJwk key);
    }

    private static volatile Access access;

    private JwkBridge() {
    }

    /** Called once, by {@link PublicJwk}'s static initializer. */
    public static void register(Access a) {
        access = a;
    }

    private static Access access() {
        Access a = access;
        if (a == null) {
            try {
                Class.forName(PublicJwk.class.getName(), true, PublicJwk.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }

    /** {@code jwk} (public, already checked by {@link JwkKeys#parsePublic}) as a {@link PublicJwk}. */
    public static PublicJwk wrap(JWK jwk) {
        return access().wrap(jwk.isPrivate() ? jwk.toPublicJWK() : jwk);
    }

    /** The Nimbus JWK behind {@code key}. */
    public static JWK unwrap(PublicJwk key) {
        return access().unwrap(key);
    }
}
