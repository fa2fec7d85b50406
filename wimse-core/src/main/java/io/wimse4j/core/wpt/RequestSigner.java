package io.wimse4j.core.wpt;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Signs outgoing requests for any HTTP client: given the request's method, target URI and headers,
 * returns the two headers to add: {@code Workload-Identity-Token} and the proof, in the chosen
 * {@link WptTransport} ({@code Authorization: WPT <jwt>} of wpt-02 by default, P2-1, or the seed's
 * {@code Workload-Proof-Token}, WPT-1). The proof binds the target ({@code aud}, WPT-4), the WIT
 * ({@code wth}), {@code Txn-Token} ({@code tth}), the configured other headers ({@code oth}) and, in the
 * seed transport only, the request's own {@code Authorization: Bearer|DPoP} token ({@code ath}). A
 * repeated bound header is refused (WPT-10). Immutable and thread-safe.
 */
public final class RequestSigner {
    private final CredentialSource credentials;
    private final WptCreator creator;
    private final Set<String> otherHeaders;
    private final Function<URI, String> audience;
    private final WptTransport transport;

    private RequestSigner(Builder b) {
        this.credentials = b.credentials;
        this.creator = b.creator;
        this.otherHeaders = Set.copyOf(b.otherHeaders);
        this.audience = b.audience;
        this.transport = b.transport;
    }

    /** A new builder; {@link Builder#credentials(CredentialSource)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The two headers a signed request carries.
     *
     * @param workloadIdentityToken the WIT, for {@code Workload-Identity-Token}
     * @param workloadProofToken    the WPT itself (compact JWT)
     * @param transport             where the WPT goes: {@link #proofHeaderName()} and {@link #proofHeaderValue()}
     */
    public record SignedHeaders(String workloadIdentityToken, String workloadProofToken, WptTransport transport) {
        /** Checks the parts. */
        public SignedHeaders {
            Objects.requireNonNull(workloadIdentityToken, "workloadIdentityToken");
            Objects.requireNonNull(workloadProofToken, "workloadProofToken");
            Objects.requireNonNull(transport, "transport");
        }

        /** The headers of the seed transport ({@link WptTransport#WORKLOAD_PROOF_TOKEN}). */
        public SignedHeaders(String workloadIdentityToken, String workloadProofToken) {
            this(workloadIdentityToken, workloadProofToken, WptTransport.WORKLOAD_PROOF_TOKEN);
        }

        /** The header that carries the proof, canonically capitalized: {@code Authorization} or {@code Workload-Proof-Token}. */
        public String proofHeaderName() {
            return transport == WptTransport.AUTHORIZATION ? "Authorization" : "Workload-Proof-Token";
        }

        /** The proof header's value: {@code WPT <jwt>} (P2-1) or the JWT itself (WPT-1). */
        public String proofHeaderValue() {
            return transport.headerValue(workloadProofToken);
        }

        /** Header name to value, with the canonical capitalization: the WIT's header, then the proof's. */
        public Map<String, String> asMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("Workload-Identity-Token", workloadIdentityToken);
            m.put(proofHeaderName(), proofHeaderValue());
            return m;
        }

        @Override
        public String toString() {
            return "SignedHeaders[redacted]";
        }
    }

    /**
     * Signs a request. {@code method} is not covered by the WPT in these drafts and is only
     * checked to be present; {@code headers} are the request's own headers (any name case).
     *
     * @throws IllegalArgumentException when the request already carries WIMSE headers, or, in the
     *                                  {@link WptTransport#AUTHORIZATION} transport, an {@code Authorization}
     *                                  header (the proof takes its place; no bearer credential may accompany
     *                                  it, P2-3: bind an access token with the seed transport's {@code ath})
     */
    public SignedHeaders sign(String method, URI target, Map<String, List<String>> headers) throws WimseException {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new java.util.ArrayList<>()).addAll(v));
        if (lower.containsKey(WimseHeaders.WORKLOAD_IDENTITY_TOKEN) || lower.containsKey(WimseHeaders.WORKLOAD_PROOF_TOKEN)) {
            throw new IllegalArgumentException("the request already carries WIMSE headers");
        }
        if (transport == WptTransport.AUTHORIZATION && lower.containsKey(WimseHeaders.AUTHORIZATION)) {
            throw new IllegalArgumentException("the request already carries an 'Authorization' header: with the wpt-02"
                    + " transport the WPT takes its place and no bearer credential may accompany it (P2-3);"
                    + " use WptTransport.WORKLOAD_PROOF_TOKEN to bind an access token through 'ath'");
        }
        Optional<String> accessToken = single(lower, WimseHeaders.AUTHORIZATION).map(WimseHeaders::accessToken);
        Optional<String> txnToken = single(lower, WimseHeaders.TXN_TOKEN);
        Map<String, String> others = new LinkedHashMap<>();
        for (String name : otherHeaders) {
            single(lower, name).ifPresent(v -> others.put(name, v));
        }
        WorkloadCredentials creds = credentials.current();
        String wpt = creator.create(creds, audience.apply(target), new ProofBindings(accessToken, txnToken, others));
        return new SignedHeaders(creds.wit(), wpt, transport);
    }

    private static Optional<String> single(Map<String, List<String>> headers, String name) throws WimseException {
        List<String> values = headers.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw new WimseException(Reason.REPEATED_HEADER, "header '" + name + "' is repeated; it cannot be bound");
        }
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Builder for {@link RequestSigner}. */
    public static final class Builder {
        private CredentialSource credentials;
        private WptCreator creator = WptCreator.create();
        private final Set<String> otherHeaders = new TreeSet<>();
        private Function<URI, String> audience = Audiences::of;
        private WptTransport transport = WptTransport.AUTHORIZATION;

        private Builder() {
        }

        /**
         * Where the proof goes (default {@link WptTransport#AUTHORIZATION}, wpt-02's
         * {@code Authorization: WPT}, P2-1). Choose {@link WptTransport#WORKLOAD_PROOF_TOKEN} for receivers
         * that speak only the seed drafts, or to bind an OAuth access token through {@code ath}.
         */
        public Builder transport(WptTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Where the WIT and key come from (required). */
        public Builder credentials(CredentialSource credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** The proof creator (default: system clock, 60 s lifetime). */
        public Builder proofCreator(WptCreator creator) {
            this.creator = Objects.requireNonNull(creator, "creator");
            return this;
        }

        /** Binds header {@code name} through {@code oth} whenever the request carries it (WPT-10). */
        public Builder bindHeader(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            if (WimseHeaders.hasOwnBinding(n)) {
                throw new IllegalArgumentException("'" + name + "' has its own binding and cannot go in oth");
            }
            otherHeaders.add(n);
            return this;
        }

        /** Maps the target URI to {@code aud} (default: the URI without query and fragment, WPT-4). */
        public Builder audience(Function<URI, String> audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /** Builds the signer. */
        public RequestSigner build() {
            if (credentials == null) {
                throw new IllegalStateException("credentials(...) is required");
            }
            return new RequestSigner(this);
        }
    }
}
