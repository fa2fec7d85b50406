package io.wimse4j.server;

import java.security.cert.X509Certificate;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.server.http.Problem;
import io.wimse4j.server.internal.AttestationMethod;

/**
 * What an {@link Attestor} reads of an issuance request, whichever credential it asks for: the
 * {@code attestation} object's method and token, the request's headers (a renewal's WIT and WPT) and the
 * TLS client certificate chain (a renewal over mutual TLS).
 * {@link IssuanceRequest} ({@code POST /v1/wit}) and {@link WicRequest} ({@code POST /v1/wic}).
 */
interface AttestationRequest {
    /** Longest {@code attestation.token}. */
    int MAX_TOKEN_LENGTH = 8192;

    /** {@code attestation.method}. */
    AttestationMethod method();

    /**
     * {@code attestation.token}, for the methods that carry one.
     *
     * @throws Problem {@code malformed-request} when it is missing, not a string, empty or longer
     *                 than {@value #MAX_TOKEN_LENGTH} characters
     */
    String attestationToken() throws Problem;

    /** The request's method, target URI and headers. */
    HttpRequestFacts facts();

    /**
     * The certificate chain the client presented in the TLS handshake, leaf first; empty when it
     * presented none or the request came over plain HTTP. The handshake proved possession of the
     * leaf's key and nothing else: only the {@code wic} attestor reads it, and it validates it.
     */
    List<X509Certificate> tlsClientChain();

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
