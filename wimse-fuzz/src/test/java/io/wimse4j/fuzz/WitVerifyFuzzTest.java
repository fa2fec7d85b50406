package io.wimse4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wimse4j.core.wit.WitVerifier;
import io.wimse4j.testkit.Fixture;

/**
 * Fuzz target: compact JWS and JWT parsing and WIT verification ({@link WitVerifier#verify(String)};
 * V-2..V-7, WIT-1..WIT-8). Seed: a valid WIT of the testkit's fixture, verified at its fixed instant.
 * Oracle ({@link Oracle}): only {@code WimseException} may escape, and no token other than the seed
 * verifies (base64url is strict, so a different string is a different signed input or a refusal).
 */
class WitVerifyFuzzTest {
    static final Fixture F = new Fixture();
    static final WitVerifier VERIFIER = WitVerifier.builder().trust(F.trust()).clock(F.clock)
            .cacheSize(0).keyCacheSize(0).build();

    @FuzzTest
    void fuzz(byte[] data) {
        String token = Mutation.apply(F.wit, data);
        Oracle.acceptsOnlySeed("WIT verification", !token.equals(F.wit), () -> VERIFIER.verify(token));
    }
}
