package io.wimse4j.server;

import io.wimse4j.core.jose.JwsSigner;

import java.util.Objects;

/**
 * A WIT signing key handed over by a {@link SigningKeyProvider}: the signer (whose {@code kid} and
 * {@code alg} go into every WIT header it signs), the public JWK the server publishes for it (the
 * trust domain's trust anchor, ID-3) and a handle to ask the provider for the same key again after
 * a restart. The private key is never part of it (KEY-1). Immutable; {@link #toString()} shows the
 * {@code kid} only.
 */
public final class SigningKey {
    /** Longest handle kept in {@code keys.json}. */
    public static final int MAX_HANDLE_LENGTH = 1024;

    private final String handle;
    private final JwsSigner signer;
    private final String publicJwk;

    private SigningKey(String handle, JwsSigner signer, String publicJwk) {
        this.handle = handle;
        this.signer = signer;
        this.publicJwk = publicJwk;
    }

    /**
     * A key.
     *
     * @param handle    what the provider needs to find the key again (a KMS key version name, a
     *                  PKCS#11 label...): stored in {@code keys.json}, so never a secret; 1 to
     *                  {@value #MAX_HANDLE_LENGTH} printable ASCII characters
     * @param signer    signs with the private key; must carry a {@code kid}
     * @param publicJwk the public JWK (JSON) with the signer's {@code kid} and {@code alg}; checked,
     *                  with a test signature, when the server takes the key
     */
    public static SigningKey of(String handle, JwsSigner signer, String publicJwk) {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(publicJwk, "publicJwk");
        if (handle.isEmpty() || handle.length() > MAX_HANDLE_LENGTH || !handle.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a signing key handle is 1 to " + MAX_HANDLE_LENGTH
                    + " printable ASCII characters");
        }
        if (signer.keyId().filter(k -> !k.isEmpty()).isEmpty()) {
            throw new IllegalArgumentException("the signer of a WIT signing key must carry a kid");
        }
        return new SigningKey(handle, signer, publicJwk);
    }

    /** The provider's handle of the key. */
    public String handle() {
        return handle;
    }

    /** The signer. */
    public JwsSigner signer() {
        return signer;
    }

    /** The {@code kid} (the signer's). */
    public String keyId() {
        return signer.keyId().orElseThrow();
    }

    /** The public JWK, JSON, as the provider gave it. */
    public String publicJwk() {
        return publicJwk;
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + keyId() + ", " + signer.algorithm() + "]";
    }
}
