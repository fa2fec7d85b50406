package io.wimse4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.testkit.Fixture;

import java.net.URI;
import java.util.Arrays;

/**
 * Fuzz target: request verification in both WPT transports ({@link RequestVerifier#verify}): the seed
 * {@code Workload-Proof-Token} header (V-1) and {@code Authorization: WPT} (P2-1), each beside the
 * {@code Workload-Identity-Token} header (WIT-10). The first input byte picks the transport and which
 * header value the rest of the input edits ({@link Mutation}); a third choice adds the edited value as
 * a second header line (V-1, WPT-10: repeated headers). Seed: a valid WIT and WPT of the fixture.
 * Oracle: only {@code WimseException}; an accepted request must carry exactly the seed's values. The
 * replay cache accepts every proof, so that a forged proof cannot hide behind {@code REPLAY} (V-9 itself
 * is driven through the real caches by wimse-resilience's load and fault suites).
 */
class RequestVerifyFuzzTest {
    static final Fixture F = new Fixture();
    static final String WPT = F.wpt(ProofBindings.NONE);
    static final RequestVerifier VERIFIER = F.verifier().replayCache((key, expiresAt) -> true)
            .witCacheSize(0).witKeyCacheSize(0).build();

    @FuzzTest
    void fuzz(byte[] data) {
        int choice = data.length == 0 ? 0 : data[0] & 0xff;
        byte[] edits = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        boolean authorization = (choice & 1) != 0;
        boolean editWit = (choice & 2) != 0;
        boolean repeat = (choice & 4) != 0;
        String wit = editWit ? Mutation.apply(F.wit, edits) : F.wit;
        String wpt = editWit ? WPT : Mutation.apply(WPT, edits);
        HttpRequestFacts.Builder b = HttpRequestFacts.builder("GET", URI.create(Fixture.TARGET))
                .header("Workload-Identity-Token", wit);
        if (authorization) {
            b.header("Authorization", "WPT " + wpt);
        } else {
            b.header("Workload-Proof-Token", wpt);
        }
        if (repeat) {
            b.header(editWit ? "Workload-Identity-Token" : authorization ? "Authorization" : "Workload-Proof-Token",
                    editWit ? wit : authorization ? "WPT " + wpt : wpt);
        }
        HttpRequestFacts request = b.build();
        boolean mutated = repeat || !wit.equals(F.wit) || !wpt.equals(WPT);
        Oracle.acceptsOnlySeed("request verification", mutated, () -> VERIFIER.verify(request));
    }
}
