package io.wimse4j.server.internal;

import java.util.Optional;

/** How a workload proves which registered identifier it is (the contract's {@code attestation.method}). */
public enum AttestationMethod {
    /** A one-time join token minted by the admin API. */
    JOIN_TOKEN("join_token"),
    /** Renewal with the current WIT and a WPT (V-1..V-14). */
    WIT("wit"),
    /** A Kubernetes projected service-account token. */
    KUBERNETES("kubernetes"),
    /**
     * Renewal with the current WIC as the TLS client certificate of the request (mutual TLS): the
     * handshake proved possession of its key, the server validates it against its own workload CAs
     * (MT-1, MT-7) and the identifier is its URI SAN (WIC-4).
     */
    WIC("wic");

    private final String wireName;

    AttestationMethod(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire. */
    public String wireName() {
        return wireName;
    }

    /** The method named {@code name} on the wire (exact, case-sensitive). */
    public static Optional<AttestationMethod> fromWireName(String name) {
        for (AttestationMethod m : values()) {
            if (m.wireName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
