package io.wimse4j.server.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.ClaimsValidator;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.jose.JwsVerifier;
import io.wimse4j.core.jose.KeySource;
import io.wimse4j.core.internal.JwsWriter;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.server.attest.ServiceAccountIdentity;
import io.wimse4j.server.attest.ServiceAccountTokenVerifier;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

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
    private final JwsVerifier tokens;
    private final KeySource clusterKeys;

    public TestServiceAccountVerifier(Clock clock) {
        this.clock = clock;
        // the shared pipeline, as KubernetesTokenVerifier uses it: signature, exp, iss, aud
        this.tokens = JwsVerifier.builder().label("service-account token").typeIfPresent("JWT")
                .algorithms(EnumSet.of(JwsAlgorithm.ES256))
                .claims(ClaimsValidator.builder().clock(clock).leeway(Duration.ofSeconds(60))
                        .expectIssuers(Set.of(ISSUER)).expectAudience(Set.of(AUDIENCE)).build())
                .build();
        try {
            this.clusterKeys = KeySource.single(clusterKey.publicJwk().verifier(JwsAlgorithm.ES256), "ES256", "cluster key");
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
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
        String[] sub = tokens.verify(jwt, clusterKeys).claims().requiredString("sub").split(":");
        if (sub.length != 4 || !sub[0].equals("system") || !sub[1].equals("serviceaccount")) {
            throw new WimseException(Reason.INVALID_CLAIM, "not a service-account subject");
        }
        return new ServiceAccountIdentity(sub[2], sub[3]);
    }
}
