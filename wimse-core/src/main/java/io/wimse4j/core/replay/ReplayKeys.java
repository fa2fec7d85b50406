package io.wimse4j.core.replay;

import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.internal.Hashes;

import java.nio.charset.StandardCharsets;

/**
 * Builds replay-cache keys: base64url(SHA-256(trust domain, workload identifier, {@code jti})),
 * NUL-separated, so a {@code jti} is unique per sending workload (WPT-6) and keys have a fixed
 * size whatever the attacker sends.
 */
public final class ReplayKeys {
    private ReplayKeys() {
    }

    /** The key for proof {@code jti} from workload {@code sender}. */
    public static String of(WorkloadIdentifier sender, String jti) {
        String material = sender.trustDomain().name() + '\0' + sender.value() + '\0' + jti;
        return Base64Url.encode(Hashes.sha256(material.getBytes(StandardCharsets.UTF_8)));
    }
}
