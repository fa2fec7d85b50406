package io.wimse4j.core.jose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.CompactJws;

import java.util.Optional;

/**
 * The JOSE header of a token that {@link JwsVerifier} has parsed and whose {@code crit}, {@code typ}
 * and {@code alg} it has checked; nothing else of it is trusted. Key sources read {@link #keyId()}
 * and {@link #algorithm()} from it (C2-1). Immutable.
 */
public final class JwsHeader {
    private final ObjectNode header;
    private final JwsAlgorithm algorithm;
    private final String algorithmName;

    JwsHeader(ObjectNode header, JwsAlgorithm algorithm, String algorithmName) {
        this.header = header;
        this.algorithm = algorithm;
        this.algorithmName = algorithmName;
    }

    /** The {@code alg}, one of the verifier's accepted algorithms. */
    public JwsAlgorithm algorithm() {
        return algorithm;
    }

    /** The {@code alg} exactly as written (V-3 compares it as a string). */
    public String algorithmName() {
        return algorithmName;
    }

    /** The {@code kid}, if present ({@link Reason#MALFORMED_TOKEN} when it is not a string). */
    public Optional<String> keyId() throws WimseException {
        return CompactJws.keyId(header);
    }

    /** The {@code typ} as written, if it is a string. */
    public Optional<String> type() {
        JsonNode typ = header.get("typ");
        return typ != null && typ.isTextual() ? Optional.of(typ.textValue()) : Optional.empty();
    }

    /** True when the header has member {@code name}. */
    public boolean has(String name) {
        return header.has(name);
    }

    @Override
    public String toString() {
        return "JwsHeader[alg=" + algorithmName + "]";
    }
}
