package io.wimse4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.WorkloadKeyPair;

/**
 * Fuzz target: JWK, JWKS and SPIFFE bundle parsing ({@link TrustBundle#fromJwks},
 * {@link TrustBundle#fromSpiffeBundle}, {@link TrustBundle#fromWitBundle}; KEY-*, ALG-2). Seeds: a JWKS of
 * an EdDSA, an ES256 and an RS256 key, and the same keys as a SPIFFE bundle with {@code use: wit-svid}.
 * Oracle: only {@code WimseException} from every parser, whatever the bytes.
 */
class BundleFuzzTest {
    static final TrustDomain TD = new TrustDomain("example.org");
    static final String JWKS;
    static final String SPIFFE;

    static {
        StringBuilder keys = new StringBuilder();
        StringBuilder spiffe = new StringBuilder();
        JwsAlgorithm[] algs = {JwsAlgorithm.EdDSA, JwsAlgorithm.ES256, JwsAlgorithm.RS256};
        for (int i = 0; i < algs.length; i++) {
            String jwk = WorkloadKeyPair.generate(algs[i]).publicJwk().toJson();
            keys.append(i == 0 ? "" : ",").append(jwk);
            String withUse = jwk.contains("\"use\":") ? jwk.replaceAll("\"use\":\"[^\"]*\"", "\"use\":\"wit-svid\"")
                    : jwk.substring(0, jwk.length() - 1) + ",\"use\":\"wit-svid\"}";
            spiffe.append(i == 0 ? "" : ",").append(withUse);
        }
        JWKS = "{\"keys\":[" + keys + "]}";
        SPIFFE = "{\"spiffe_sequence\":7,\"spiffe_refresh_hint\":300,\"keys\":[" + spiffe + "]}";
    }

    @FuzzTest
    void fuzz(byte[] data) {
        int choice = data.length == 0 ? 0 : data[0] & 0xff;
        byte[] edits = data.length == 0 ? data : java.util.Arrays.copyOfRange(data, 1, data.length);
        String input = Mutation.apply((choice & 1) == 0 ? JWKS : SPIFFE, edits);
        try {
            TrustBundle.fromJwks(TD, input);
        } catch (WimseException refused) {
            // typed refusal: fine
        }
        try {
            TrustBundle.fromSpiffeBundle(TD, input);
        } catch (WimseException refused) {
            // typed refusal: fine
        }
        try {
            TrustBundle.fromWitBundle(TD, input);
        } catch (WimseException refused) {
            // typed refusal: fine
        }
    }
}
