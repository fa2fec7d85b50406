package io.wimse4j.core.wpt;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The other tokens a WPT binds by hash: the OAuth access token ({@code ath}, WPT-8), the Txn-Token
 * ({@code tth}, WPT-9) and other headers ({@code oth}, WPT-10, lower-cased name to value).
 *
 * @param accessToken the access token value (without the {@code Bearer} scheme), if any
 * @param txnToken    the Txn-Token header value, if any
 * @param others      lower-case header name to the header value
 */
public record ProofBindings(Optional<String> accessToken, Optional<String> txnToken, Map<String, String> others) {
    /** No bindings. */
    public static final ProofBindings NONE = new ProofBindings(Optional.empty(), Optional.empty(), Map.of());

    /** Copies {@code others} in name order. */
    public ProofBindings {
        others = java.util.Collections.unmodifiableMap(new TreeMap<>(others));
    }

    /** Bindings of an access token only. */
    public static ProofBindings accessToken(String token) {
        return new ProofBindings(Optional.of(token), Optional.empty(), Map.of());
    }

    @Override
    public String toString() {
        return "ProofBindings[ath=" + accessToken.isPresent() + ", tth=" + txnToken.isPresent() + ", oth=" + others.keySet() + "]";
    }
}
