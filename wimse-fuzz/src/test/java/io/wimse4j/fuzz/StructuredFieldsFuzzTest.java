package io.wimse4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wimse4j.httpsig.sfv.StructuredFieldException;
import io.wimse4j.httpsig.sfv.StructuredFields;

import java.util.Arrays;

/**
 * Fuzz target: the Structured Field Values parser (RFC 8941) that reads {@code Signature-Input},
 * {@code Signature} and {@code Content-Digest} (HS-1..HS-5). Seeds: the field values of the drafts'
 * HTTP signature examples. Oracle: only {@link StructuredFieldException}; whatever parses serializes to a
 * value that parses back to the same serialization (the canonical form is a fixed point, so a signature
 * base built from it cannot differ between signer and verifier).
 */
class StructuredFieldsFuzzTest {
    static final String[] SEEDS = {
        "wimse=(\"@method\" \"@request-target\" \"content-digest\" \"workload-identity-token\");created=1735689600;"
                + "expires=1735689900;nonce=\"abc-123\";tag=\"wimse-workload-to-workload\"",
        "wimse=:dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZSBidXQgaXQgaXMgYmFzZTY0Og==:",
        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:AAAA:",
        "1.5;a=?1;b=@1735689600, \"str\";c=%\"caf%c3%a9\", tok/en*x, (1 2 \"x\");q=0.9",
    };

    @FuzzTest
    void fuzz(byte[] data) throws StructuredFieldException {
        int choice = data.length == 0 ? 0 : (data[0] & 0xff) % SEEDS.length;
        byte[] edits = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        String input = Mutation.apply(SEEDS[choice], edits);
        try {
            String once = StructuredFields.serialize(StructuredFields.parseDictionary(input));
            if (!StructuredFields.serialize(StructuredFields.parseDictionary(once)).equals(once)) {
                throw new AssertionError("a dictionary whose serialization is not a fixed point");
            }
        } catch (StructuredFieldException refused) {
            // typed refusal: fine
        }
        try {
            String once = StructuredFields.serialize(StructuredFields.parseList(input));
            if (!StructuredFields.serialize(StructuredFields.parseList(once)).equals(once)) {
                throw new AssertionError("a list whose serialization is not a fixed point");
            }
        } catch (StructuredFieldException refused) {
            // typed refusal: fine
        }
        try {
            String once = StructuredFields.serialize(StructuredFields.parseItem(input));
            if (!StructuredFields.serialize(StructuredFields.parseItem(once)).equals(once)) {
                throw new AssertionError("an item whose serialization is not a fixed point");
            }
        } catch (StructuredFieldException refused) {
            // typed refusal: fine
        }
    }
}
