package io.wimse4j.server;

import io.wimse4j.core.jose.JwsAlgorithm;

import java.io.IOException;

/**
 * Where the Identity Server's WIT signing keys live when they are not kept in the state directory:
 * the seam for a KMS or an HSM. The server only ever asks a {@link SigningKey}'s
 * {@link io.wimse4j.core.jose.JwsSigner} for signatures, never for key material, so the private key
 * can stay in the device (KEY-1); its public JWK is what the server publishes as the trust domain's
 * trust anchor in {@code /.well-known/jwks.json} (ID-3), with an asymmetric {@code alg} (WIT-1). Set it with
 * {@link IdentityServer.Builder#signingKeys(SigningKeyProvider)}; without one the server generates
 * its keys and stores them, owner-only, in {@code keys.json}.
 *
 * <p>The rotation schedule stays the server's (publish-ahead, retirement; see the contract's "Key
 * rotation"): it asks for a new key ({@link #create}) for its first key and for every rotation, and
 * stores in {@code keys.json} only the key's {@link SigningKey#handle() handle}, public JWK and
 * schedule; after a restart it asks for each stored key again by its handle ({@link #open}). Every
 * key handed over is checked before it is published: its public JWK must be a public signature key
 * with the signer's {@code kid} and {@code alg}, and a test signature must verify with it.
 * Implementations must be thread-safe.
 */
public interface SigningKeyProvider {
    /**
     * Creates a new signing key for {@code algorithm} (the configured {@code key-alg}); the signer's
     * algorithm must be {@code algorithm}.
     */
    SigningKey create(JwsAlgorithm algorithm) throws IOException;

    /** The key created earlier under {@code handle}; its {@code kid} must be the one it had then. */
    SigningKey open(String handle) throws IOException;
}
