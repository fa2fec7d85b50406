package io.wimse4j.server;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.server.http.Problem;
import io.wimse4j.server.internal.AttestationMethod;

/**
 * What an {@link Attestor} reads of an issuance request, whichever credential it asks for: the
 * {@code attestation} object's method and token, the request's headers (a renewal's WIT and WPT) and the
 * TLS client certificate chain (a renewal over mutual TLS).
 * {@link IssuanceRequest} ({@code POST /v1/wit}) and {@link WicRequest} ({@code POST /v1/wic}).
 */
abstract class AttestationRequest {
    /** Longest {@code attestation.token}. */
    static final int MAX_TOKEN_LENGTH = 8192;

    private final AttestationMethod method;
    private final ObjectNode attestation;
    private final HttpRequestFacts facts;
    private final List<X509Certificate> tlsClientChain;

    /** A request whose {@code attestation} object names {@code method} (both copied or immutable). */
    AttestationRequest(AttestationMethod method, ObjectNode attestation, HttpRequestFacts facts, List<X509Certificate> tlsClientChain) {
        this.method = Objects.requireNonNull(method, "method");
        this.attestation = attestation.deepCopy();
        this.facts = Objects.requireNonNull(facts, "facts");
        this.tlsClientChain = List.copyOf(tlsClientChain);
    }

    /** {@code attestation.method}. */
    final AttestationMethod method() {
        return method;
    }

    /**
     * {@code attestation.token}, for the methods that carry one.
     *
     * @throws Problem {@code malformed-request} when it is missing, not a string, empty or longer
     *                 than {@value #MAX_TOKEN_LENGTH} characters
     */
    final String attestationToken() throws Problem {
        return tokenOf(attestation);
    }

    /** The request's method, target URI and headers. */
    final HttpRequestFacts facts() {
        return facts;
    }

    /**
     * The certificate chain the client presented in the TLS handshake, leaf first; empty when it
     * presented none or the request came over plain HTTP. The handshake proved possession of the
     * leaf's key and nothing else: only the {@code wic} attestor reads it, and it validates it.
     */
    final List<X509Certificate> tlsClientChain() {
        return tlsClientChain;
    }

    /**
     * The {@code method} of an {@code attestation} object.
     *
     * @throws Problem {@code malformed-request} when it is not a string, {@code unknown-attestation-method}
     *                 for a method the server does not know
     */
    static AttestationMethod methodOf(JsonNode attestation) throws Problem {
        JsonNode m = attestation.get("method");
        if (m == null || !m.isTextual()) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST, "'attestation.method' must be a string");
        }
        String name = m.textValue();
        return AttestationMethod.fromWireName(name).orElseThrow(() ->
                Problem.of(Problem.Code.UNKNOWN_ATTESTATION_METHOD, "attestation method '"
                        + (name.length() <= 40 ? name : name.substring(0, 40) + "...") + "' is not known"));
    }

    /** The {@code token} of an {@code attestation} object, as {@link #attestationToken()} describes it. */
    static String tokenOf(JsonNode attestation) throws Problem {
        JsonNode t = attestation.get("token");
        if (t == null || !t.isTextual() || t.textValue().isEmpty() || t.textValue().length() > MAX_TOKEN_LENGTH) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST, "'attestation.token' must be a non-empty string");
        }
        return t.textValue();
    }
}
