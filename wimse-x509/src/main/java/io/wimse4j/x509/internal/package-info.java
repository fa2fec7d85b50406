/**
 * Internals of {@code io.wimse4j.x509}: BouncyCastle certificate building, the strict PEM reader, DNS name
 * and CSR checks. Not API: anything here may change in any release.
 */
package io.wimse4j.x509.internal;
