package io.wimse4j.server.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.internal.Claims;
import io.wimse4j.core.internal.CompactJws;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.internal.Validity;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.server.attest.ServiceAccountIdentity;
import io.wimse4j.server.attest.ServiceAccountTokenVerifier;

import java.time.Clock;
import java.time.Duration;

/**
 * A small real-crypto stand-in for the cluster: signs projected service-account tokens with an
 * ES256 key and verifies signature, {@code iss}, {@code aud}, expiry and the
 * {@code system:serviceaccount:<ns>:<sa>} subject.
 */
public final class TestServiceAccountVerifier implements ServiceAccountTokenVerifier {
    public static final String ISSUER = "https://kubernetes.default.svc";
    public static final String AUDIENCE = "wimse-server";

    private final WorkloadKeyPair clusterKey = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    private final Clock clock;

    public TestServiceAccountVerifier(Clock clock) {
        this.clock = clock;
    }

    /** A token for {@code ns}/{@code sa} signed by {@code key} with {@code audience}. */
    public String token(WorkloadKeyPair key, String ns, String sa, String audience) {
        long now = clock.instant().getEpochSecond();
        ObjectNode c = StrictJson.mapper().createObjectNode().put("iss", ISSUER).put("aud", audience)
                .put("sub", "system:serviceaccount:" + ns + ":" + sa).put("iat", now).put("exp", now + 600);
        return JwsWriter.sign(key.signer(), "JWT", c);
    }

    /** A valid token for {@code ns}/{@code sa}. */
    public String token(String ns, String sa) {
        return token(clusterKey, ns, sa, AUDIENCE);
    }

    /** A token signed by the cluster key for {@code audience}. */
    public String tokenForAudience(String ns, String sa, String audience) {
        return token(clusterKey, ns, sa, audience);
    }

    @Override
    public ServiceAccountIdentity verify(String jwt) throws WimseException {
        CompactJws jws = CompactJws.parse(jwt, 8192);
        if (!"ES256".equals(jws.algorithmName())
                || !jws.verifyWith(clusterKey.publicJwk().verifier(JwsAlgorithm.ES256))) {
            throw new WimseException(Reason.BAD_SIGNATURE, "service-account token signature does not verify");
        }
        ObjectNode c = jws.payload();
        Validity.check(c, clock.instant(), Duration.ofSeconds(60), "service-account token");
        if (!ISSUER.equals(Claims.requiredString(c, "iss", "service-account token"))) {
            throw new WimseException(Reason.UNTRUSTED_ISSUER, "wrong issuer");
        }
        if (!AUDIENCE.equals(Claims.requiredString(c, "aud", "service-account token"))) {
            throw new WimseException(Reason.AUDIENCE_MISMATCH, "wrong audience");
        }
        String[] sub = Claims.requiredString(c, "sub", "service-account token").split(":");
        if (sub.length != 4 || !sub[0].equals("system") || !sub[1].equals("serviceaccount")) {
            throw new WimseException(Reason.INVALID_CLAIM, "not a service-account subject");
        }
        return new ServiceAccountIdentity(sub[2], sub[3]);
    }
}
