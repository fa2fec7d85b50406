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
 * returns the two headers to add, {@code Workload-Identity-Token} and {@code Workload-Proof-Token}.
 * The proof binds the target ({@code aud}, WPT-4), the WIT ({@code wth}), the request's own
 * {@code Authorization: Bearer|DPoP} token ({@code ath}), {@code Txn-Token} ({@code tth}) and the
 * configured other headers ({@code oth}). A repeated bound header is refused (WPT-10).
 * Immutable and thread-safe.
 */
public final class RequestSigner {
    private final CredentialSource credentials;
    private final WptCreator creator;
    private final Set<String> otherHeaders;
    private final Function<URI, String> audience;

    private RequestSigner(Builder b) {
        this.credentials = b.credentials;
        this.creator = b.creator;
        this.otherHeaders = Set.copyOf(b.otherHeaders);
        this.audience = b.audience;
    }

    /** A new builder; {@link Builder#credentials(CredentialSource)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The two headers a signed request carries. */
    public record SignedHeaders(String workloadIdentityToken, String workloadProofToken) {
        /** Header name to value, with the canonical capitalization. */
        public Map<String, String> asMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("Workload-Identity-Token", workloadIdentityToken);
            m.put("Workload-Proof-Token", workloadProofToken);
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
     */
    public SignedHeaders sign(String method, URI target, Map<String, List<String>> headers) throws WimseException {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new java.util.ArrayList<>()).addAll(v));
        if (lower.containsKey(WimseHeaders.WORKLOAD_IDENTITY_TOKEN) || lower.containsKey(WimseHeaders.WORKLOAD_PROOF_TOKEN)) {
            throw new IllegalArgumentException("the request already carries WIMSE headers");
        }
        Optional<String> accessToken = single(lower, WimseHeaders.AUTHORIZATION).map(WimseHeaders::accessToken);
        Optional<String> txnToken = single(lower, WimseHeaders.TXN_TOKEN);
        Map<String, String> others = new LinkedHashMap<>();
        for (String name : otherHeaders) {
            single(lower, name).ifPresent(v -> others.put(name, v));
        }
        WorkloadCredentials creds = credentials.current();
        String wpt = creator.create(creds, audience.apply(target), new ProofBindings(accessToken, txnToken, others));
        return new SignedHeaders(creds.wit(), wpt);
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

        private Builder() {
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
