package io.wimse4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.server.http.Problem;
import io.wimse4j.server.internal.AttestationMethod;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * A {@code POST /v1/wit} request whose body has the contract's shape: strict JSON (duplicate members
 * refused) with exactly the members {@code public_jwk} (object), {@code proof} (string) and
 * {@code attestation} (object with a known string {@code method}), and the request's headers (a
 * renewal's WIT and WPT, WIT-10). Nothing in it is checked beyond that shape: the key and proof are
 * {@link ProofChecker}'s, the evidence an {@link Attestor}'s. Immutable: the JSON parts are copies.
 */
final class IssuanceRequest extends AttestationRequest {
    private static final Set<String> MEMBERS = Set.of("public_jwk", "proof", "attestation");
    private final JsonNode publicJwk;
    private final String proof;

    private IssuanceRequest(AttestationMethod method, JsonNode publicJwk, String proof, ObjectNode attestation,
                            HttpRequestFacts facts,
                            List<X509Certificate> tlsClientChain) {
        super(method, attestation, facts, tlsClientChain);
        this.publicJwk = publicJwk.deepCopy();
        this.proof = proof;
    }

    /**
     * Parses a body that has already been size-checked.
     *
     * @throws Problem {@code malformed-request} for a body of another shape,
     *                 {@code unknown-attestation-method} for a method the server does not know
     */
    static IssuanceRequest parse(byte[] body, HttpRequestFacts facts, List<X509Certificate> tlsClientChain) throws Problem {
        ObjectNode req = Members.requestBody(body, MEMBERS);
        JsonNode jwk = req.get("public_jwk");
        JsonNode proof = req.get("proof");
        JsonNode att = req.get("attestation");
        if (jwk == null || !jwk.isObject() || proof == null || !proof.isTextual() || att == null || !att.isObject()) {
            throw Problem.of(Problem.Code.MALFORMED_REQUEST,
                    "the body needs 'public_jwk' (object), 'proof' (string) and 'attestation' (object)");
        }
        AttestationMethod method = AttestationRequest.methodOf(att);
        return new IssuanceRequest(method, jwk, proof.textValue(), (ObjectNode) att, facts, tlsClientChain);
    }

    /** {@code public_jwk}, unchecked (a copy). */
    JsonNode publicJwk() {
        return publicJwk.deepCopy();
    }

    /** {@code proof}, unchecked. */
    String proof() {
        return proof;
    }

    @Override
    public String toString() {
        return "IssuanceRequest[" + method().wireName() + "]";
    }
}
