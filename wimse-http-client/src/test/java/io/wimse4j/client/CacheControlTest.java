package io.wimse4j.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CacheControl}: the freshness lifetime of a JWKS response (RFC 9111 5.2.2). */
class CacheControlTest {
    @Test
    void readsMaxAgeAmongOtherDirectivesInAnyCase() {
        assertThat(CacheControl.maxAge(List.of("public, max-age=300"))).contains(Duration.ofSeconds(300));
        assertThat(CacheControl.maxAge(List.of("Public", "MAX-AGE=\"60\""))).contains(Duration.ofSeconds(60));
    }

    @Test
    void noStoreAndNoCacheMeanZero() {
        assertThat(CacheControl.maxAge(List.of("max-age=300, no-cache"))).contains(Duration.ZERO);
        assertThat(CacheControl.maxAge(List.of("no-store"))).contains(Duration.ZERO);
    }

    @Test
    void garbageAndAbsenceGiveNothingAndHugeValuesAreCapped() {
        assertThat(CacheControl.maxAge(List.of())).isEmpty();
        assertThat(CacheControl.maxAge(List.of("max-age=-5", "max-age=", "max-age=1e3", "s-maxage=10"))).isEmpty();
        assertThat(CacheControl.maxAge(List.of("max-age=999999999999"))).contains(Duration.ofDays(365));
        assertThat(CacheControl.maxAge(List.of("max-age=9999999999999999999999"))).isEmpty();
    }
}
