package io.wimse4j.core.id;

/**
 * How strictly workload identifiers and trust domains are read: an explicit parse option of
 * {@link WorkloadIdentifier#parse(String, IdentifierSyntax)} and
 * {@link TrustDomain#parse(String, IdentifierSyntax)}, and of the verifiers that read identifiers
 * ({@code WitVerifier.Builder#identifierSyntax}). {@link #STRICT} is the default everywhere.
 *
 * <p>The two differ only in ID3-5: whether a trust domain may be an IP address. Every other rule
 * (ID3-1 .. ID3-4, ID3-6) applies in both, and neither ever normalizes or repairs an identifier
 * (ID3-2).
 */
public enum IdentifierSyntax {
    /**
     * identifier-03 as written: an IP address is not a trust domain (ID3-5). Refused are an IPv4
     * address ({@code 10.0.0.1}), any trust domain whose last label is numeric (decimal or
     * {@code 0x} hexadecimal: {@code 10.1}, {@code 010.0.0.1}, {@code 167772161}, {@code a.0x1}),
     * which URL parsers and {@code inet_aton} read as an IPv4 address and which is never a DNS name,
     * and an IPv6 literal ({@code [::1]}, which the trust-domain characters refuse anyway).
     */
    STRICT,
    /**
     * {@link #STRICT}, except that a trust domain may be an IPv4 address in its canonical
     * dotted-quad form (four decimal octets 0-255 without leading zeros, e.g. {@code 10.0.0.1}):
     * ID3-5's exception for legacy naming compatibility, to be opted into explicitly. Other
     * numeric forms ({@code 10.1}, {@code 010.0.0.1}, {@code 167772161}) and IPv6 literals stay
     * refused: they are not canonical (ID3-2), and brackets and colons are not trust-domain
     * characters.
     */
    LEGACY_IP_TRUST_DOMAINS;

    /** True when a canonical dotted-quad IPv4 address is accepted as a trust domain. */
    boolean allowsIpv4TrustDomains() {
        return this == LEGACY_IP_TRUST_DOMAINS;
    }
}
