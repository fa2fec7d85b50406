package io.wimse4j.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings that would break the rotation guarantee are refused at build time. */
class ServerConfigTest {
    @Test
    void publishAheadShorterThanJwksMaxAgeIsRefused() throws Exception {
        // a key signing 0 s after rotation while verifiers may keep the old JWKS for 300 s:
        // WITs signed by a key those verifiers cannot know yet
        assertThatThrownBy(() -> ServerConfig.builder("example.org").jwksMaxAge(Duration.ofSeconds(300))
                .publishAhead(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("publish-ahead");
        assertThatThrownBy(() -> ServerConfig.builder("example.org").jwksMaxAge(Duration.ofSeconds(300))
                .publishAhead(Duration.ofSeconds(299)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("publish-ahead");
        assertThat(ServerConfig.builder("example.org").jwksMaxAge(Duration.ofSeconds(300))
                .publishAhead(Duration.ofSeconds(300)).build().publishAhead()).isEqualTo(Duration.ofSeconds(300));
    }
}
