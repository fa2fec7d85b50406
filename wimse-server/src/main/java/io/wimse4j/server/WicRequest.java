package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.server.http.Problem;
import io.wimse4j.server.internal.AttestationMethod;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * A {@code POST /v1/wic} request whose body has the contract's shape: strict JSON (duplicate members
 * refused) with exactly the members {@code csr} (string) and {@code attestation} (object with a known
 * string {@code method}), and the request's headers (a renewal's WIT and WPT). {@code csr} is a PKCS#10
 * request either as one PEM block ({@code -----BEGIN CERTIFICATE REQUEST-----}, RFC 7468, newlines
 * escaped in the JSON string) or as its DER in standard base64 with padding (RFC 4648 section 4, the
 * encoding of {@code x5c}); nothing of it is checked here beyond that encoding (the CSR itself is
 * {@link io.wimse4j.x509.WicIssuer}'s). Immutable.
 */
final class WicRequest extends AttestationRequest {
    private static final Set<String> MEMBERS = Set.of("csr", "attestation");
    private static final String PEM_BEGIN = "-----BEGIN CERTIFICATE REQUEST-----";

    private final byte[] csr;

    private WicRequest(AttestationMethod method, byte[] csr, ObjectNode attestation, HttpRequestFacts facts,
                       List<X509Certificate> tlsClientChain) {
        super(method, attestation, facts, tlsClientChain);
        this.csr = csr.clone();
    }

    /**
     * Parses a body that has already been size-checked.
     *
     * @throws Problem {@code malformed-request} for a body of another shape or a {@code csr} that is
     *                 neither PEM nor canonical base64, {@code unknown-attestation-method} for a method
     *                 the server does not know
     */
    static WicRequest parse(byte[] body, HttpRequestFacts facts, List<X509Certificate> tlsClientChain) throws Problem {
        ObjectNode req = Members.requestBody(body, MEMBERS);
        JsonNode csr = req.get("csr");
        JsonNode att = req.get("attestation");
        if (csr == null || !csr.isTextual() || csr.textValue().isEmpty() || att == null || !att.isObject()) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST,
                    "the body needs 'csr' (a non-empty string) and 'attestation' (object)");
        }
        AttestationMethod method = AttestationRequest.methodOf(att);
        return new WicRequest(method, decode(csr.textValue()), (ObjectNode) att, facts, tlsClientChain);
    }

    /** The PEM text as it is (the issuer reads it strictly), or the DER of canonical base64. */
    private static byte[] decode(String csr) throws Problem {
        if (csr.startsWith(PEM_BEGIN)) {
            return csr.getBytes(StandardCharsets.UTF_8);
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(csr);
        } catch (IllegalArgumentException e) {
            throw notBase64();
        }
        // canonical only: padding required, no stray bits (one encoding per CSR)
        if (!Base64.getEncoder().encodeToString(der).equals(csr)) {
            throw notBase64();
        }
        return der;
    }

    private static Problem notBase64() {
        return Problem.of(Problem.Code.MALFORMED_REQUEST,
                "'csr' must be a PEM CERTIFICATE REQUEST block or its DER in standard base64 with padding");
    }

    /** The PKCS#10 request, DER or PEM, unchecked (a copy). */
    byte[] csr() {
        return csr.clone();
    }

    @Override
    public String toString() {
        return "WicRequest[" + method().wireName() + ", csr " + csr.length + " bytes]";
    }
}
