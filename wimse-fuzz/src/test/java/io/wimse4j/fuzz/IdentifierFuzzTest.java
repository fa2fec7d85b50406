package io.wimse4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.IdentifierSyntax;
import io.wimse4j.core.id.WorkloadIdentifier;

/**
 * Fuzz target: workload identifier parsing ({@link WorkloadIdentifier#parse(String, IdentifierSyntax)},
 * ID-1, ID-2, ID3-*) in every syntax. Seeds: a {@code wimse://} and a {@code spiffe://} identifier.
 * Oracle: only {@code WimseException}; an identifier that parses is canonical: its value parses again to
 * an equal identifier with the same trust domain (no input reads as one identity once and another later).
 */
class IdentifierFuzzTest {
    static final String[] SEEDS = {"wimse://example.org/ns/prod/svc/orders", "spiffe://example.org/ns/prod/sa/orders"};

    @FuzzTest
    void fuzz(byte[] data) throws WimseException {
        int choice = data.length == 0 ? 0 : data[0] & 0xff;
        byte[] edits = data.length == 0 ? data : java.util.Arrays.copyOfRange(data, 1, data.length);
        String input = Mutation.apply(SEEDS[choice & 1], edits);
        for (IdentifierSyntax syntax : IdentifierSyntax.values()) {
            WorkloadIdentifier id;
            try {
                id = WorkloadIdentifier.parse(input, syntax);
            } catch (WimseException refused) {
                continue;
            }
            WorkloadIdentifier again = WorkloadIdentifier.parse(id.value(), syntax);
            if (!again.equals(id) || !again.trustDomain().equals(id.trustDomain())) {
                throw new AssertionError("an identifier that does not parse back to itself in " + syntax);
            }
        }
    }
}
