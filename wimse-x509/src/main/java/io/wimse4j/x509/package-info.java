/**
 * Workload Identity Certificates (WIC-1..WIC-4) and mutual TLS with them (MT-1..MT-7): the one home of
 * wimse4j's X.509 code. Issuance from PKCS#10 requests, validation of a peer's chain against the anchors of
 * the trust domain its identifier names, PEM reading and writing, plain TLS server certificates for a server's own HTTPS endpoint
 * ({@link io.wimse4j.x509.TlsCertificateAuthority}, {@link io.wimse4j.x509.TlsServerCertificate}), and a
 * CA-and-leaf builder for tests.
 */
package io.wimse4j.x509;
