package io.wimse4j.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzz target: the CLI's raw HTTP/1.1 request parser ({@link RawHttpRequest#parse}, read by
 * {@code wimse verify --request}, {@code wimse httpsig verify}). Seeds: a GET with WIMSE headers and a POST
 * with a body and {@code Content-Length}. Oracle: only {@link IllegalArgumentException}, which its Javadoc
 * documents (the CLI turns it into a usage error); a request that parses turns into request facts
 * ({@link RawHttpRequest#toFacts()}) without any other exception, and its body is never longer than the input.
 */
class RawHttpRequestFuzzTest {
    static final String[] SEEDS = {
        "GET /orders?id=7 HTTP/1.1\r\nHost: api.example.org\r\nWorkload-Identity-Token: a.b.c\r\n"
                + "Workload-Proof-Token: d.e.f\r\n\r\n",
        "POST /orders HTTP/1.1\r\nHost: api.example.org\r\nContent-Type: application/json\r\n"
                + "Content-Length: 11\r\nSignature-Input: wimse=(\"@method\");created=1\r\n\r\n{\"order\":7}",
    };

    @FuzzTest
    void fuzz(byte[] data) {
        int choice = data.length == 0 ? 0 : (data[0] & 0xff) % SEEDS.length;
        byte[] edits = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        byte[] input = io.wimse4j.fuzz.Mutation.apply(SEEDS[choice].getBytes(StandardCharsets.ISO_8859_1), edits);
        RawHttpRequest parsed;
        try {
            parsed = RawHttpRequest.parse(input);
        } catch (IllegalArgumentException refused) {
            return;
        }
        parsed.toFacts();
        if (parsed.body() != null && parsed.body().length() > input.length) {
            throw new AssertionError("a body longer than the input");
        }
    }
}
