package io.wimse4j.core;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.Hashes;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.testkit.DraftExample;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.wimse4j.core.testkit.DraftExample.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Known-answer test: the drafts' example request verifies at its stated instant. */
class DraftExampleTest {

    static RequestVerifier verifierAt(Instant now) {
        return RequestVerifier.builder().trust(DraftExample.trust()).clock(clockAt(now)).build();
    }

    @Test
    void exampleRequestVerifiesAtItsInstant() throws WimseException {
        VerifiedCaller caller = verifierAt(VALID_AT).verify(requestBuilder().build());
        assertThat(caller.workload().value()).isEqualTo("wimse://example.com/specific-workload");
        assertThat(caller.trustDomain().name()).isEqualTo("example.com");
        assertThat(caller.accessTokenBound()).isTrue();
        assertThat(caller.proof().jwtId()).isEqualTo(root().at("/expected/wpt_jti").asText());
        assertThat(caller.proof().expiresAt()).isEqualTo(WPT_EXP);
        assertThat(caller.wit().expiresAt()).isEqualTo(WIT_EXP);
    }

    @Test
    void expectedHashesMatch() {
        assertThat(Hashes.tokenHash(WIT)).isEqualTo(root().at("/expected/wth").asText());
        assertThat(Hashes.tokenHash("16_mAd0GiwaZokU26_0902100")).isEqualTo(root().at("/expected/ath").asText());
        assertThat(Hashes.tokenHash(root().at("/rfc9449_ath_example/access_token").asText()))
                .isEqualTo(root().at("/rfc9449_ath_example/ath").asText());
    }

    @Test
    void exampleIsExpiredAfterItsExpPlusLeeway() {
        assertThatThrownBy(() -> verifierAt(WPT_EXP.plusSeconds(61)).verify(requestBuilder().build()))
                .isInstanceOfSatisfying(WimseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
    }
}
