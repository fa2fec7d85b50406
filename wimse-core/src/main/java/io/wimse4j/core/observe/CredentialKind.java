package io.wimse4j.core.observe;

import java.util.Locale;

/**
 * The proof a receiving workload verified, as {@link WimseObserver} reports it and metrics tag it
 * ({@code kind}): a Workload Proof Token (V-1..V-14, either transport, P2-1), an HTTP Message
 * Signature with a WIT (HS-1..HS-8) or a mutual-TLS client certificate, a WIC (WIC-4, MT-1).
 */
public enum CredentialKind {
    /** A WIT with a Workload Proof Token ({@code wpt+jwt}), in the WIMSE headers or {@code Authorization: WPT}. */
    WPT,
    /** A WIT with an RFC 9421 HTTP Message Signature made with its key (draft-ietf-wimse-http-signature). */
    HTTP_SIGNATURE,
    /** A Workload Identity Certificate presented as the TLS client certificate (draft-ietf-wimse-mutual-tls). */
    MUTUAL_TLS;

    /** The tag value: the name in lower case with {@code -} for {@code _} ({@code wpt}, {@code http-signature}, {@code mutual-tls}). */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
