package io.wimse4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.HttpSignatureVerifier;
import io.wimse4j.httpsig.RequestSignature;
import io.wimse4j.httpsig.sfv.StructuredFieldException;
import io.wimse4j.httpsig.sfv.StructuredFields;
import io.wimse4j.testkit.Fixture;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target: HTTP Message Signature verification (RFC 9421 with the WIT; HS-1..HS-5) of a signed POST.
 * The first input byte picks what the rest edits: {@code Signature-Input}, {@code Signature},
 * {@code Content-Digest}, {@code Workload-Identity-Token}, or the body. Seed: a request signed by the
 * library's own signer at the fixture's instant. Oracle: only {@code WimseException}; an accepted request
 * must equal the seed, where the three structured fields are compared by meaning (their canonical
 * serialization, RFC 8941: whitespace is not part of a signed value, the signature base re-serializes the
 * parameters) and the WIT and body byte for byte. Replay protection is off so the seed verifies each time.
 */
class HttpSignatureFuzzTest {
    static final Fixture F = new Fixture();
    static final byte[] BODY = "{\"order\":7,\"items\":[\"a\",\"b\"]}".getBytes(StandardCharsets.UTF_8);
    static final HttpRequestFacts UNSIGNED = HttpRequestFacts.builder("POST", URI.create(Fixture.TARGET))
            .header("Content-Type", "application/json").build();
    static final RequestSignature SIGNED;
    static final HttpSignatureVerifier VERIFIER = HttpSignatureVerifier.builder().trust(F.trust()).clock(F.clock)
            .disableReplayProtection().build();
    static final List<String> EDITABLE = List.of("Signature-Input", "Signature", "Content-Digest", "Workload-Identity-Token");

    static {
        try {
            SIGNED = HttpSignatureSigner.builder(CredentialSource.fixed(F.credentials())).clock(F.clock).build()
                    .signRequest(UNSIGNED, BODY);
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void fuzz(byte[] data) {
        int choice = data.length == 0 ? 0 : (data[0] & 0xff) % (EDITABLE.size() + 1);
        byte[] edits = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        byte[] body = BODY;
        HttpRequestFacts.Builder b = HttpRequestFacts.builder("POST", URI.create(Fixture.TARGET))
                .header("Content-Type", "application/json");
        boolean mutated = false;
        for (Map.Entry<String, String> h : SIGNED.headers().entrySet()) {
            String value = h.getValue();
            if (choice < EDITABLE.size() && EDITABLE.get(choice).equalsIgnoreCase(h.getKey())) {
                String edited = Mutation.apply(value, edits);
                mutated = h.getKey().equalsIgnoreCase("Workload-Identity-Token") ? !edited.equals(value)
                        : !sameDictionary(edited, value);
                value = edited;
            }
            b.header(h.getKey(), value);
        }
        if (choice == EDITABLE.size()) {
            body = Mutation.apply(BODY, edits);
            mutated = !Arrays.equals(body, BODY);
        }
        HttpRequestFacts request = b.build();
        byte[] sentBody = body;
        Oracle.acceptsOnlySeed("HTTP signature verification", mutated, () -> VERIFIER.verifyRequest(request, sentBody));
    }

    /** Whether two dictionary field values mean the same (RFC 8941 canonical serialization). */
    static boolean sameDictionary(String a, String b) {
        try {
            return StructuredFields.serialize(StructuredFields.parseDictionary(a))
                    .equals(StructuredFields.serialize(StructuredFields.parseDictionary(b)));
        } catch (StructuredFieldException unreadable) {
            return false;
        }
    }
}
