package io.wimse4j.x509;

/**
 * What a Workload Identity Certificate may be used for in mutual TLS (MT-3): each usage becomes a key
 * purpose in the certificate's extended key usage extension. A workload that both calls and serves
 * gets both.
 */
public enum WicUsage {
    /** A TLS client: EKU {@code id-kp-clientAuth} (1.3.6.1.5.5.7.3.2). */
    CLIENT("1.3.6.1.5.5.7.3.2"),
    /** A TLS server: EKU {@code id-kp-serverAuth} (1.3.6.1.5.5.7.3.1). */
    SERVER("1.3.6.1.5.5.7.3.1");

    private final String oid;

    WicUsage(String oid) {
        this.oid = oid;
    }

    /** The key purpose's object identifier, as {@link java.security.cert.X509Certificate#getExtendedKeyUsage()} lists it. */
    public String oid() {
        return oid;
    }
}
