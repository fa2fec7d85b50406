package io.wimse4j.cli;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wimse demo}: every step behaves as described, and no token or key is printed. */
class DemoCommandTest {
    /** A base64url run as long as a key or a token segment. */
    private static final Pattern LONG_SECRET = Pattern.compile("[A-Za-z0-9_-]{48,}");

    @Test
    void demoSucceedsStepByStep() {
        Cli.Result r = Cli.run("demo");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains("ACCEPTED: the caller is wimse://demo.example/service-a")
                .contains("REJECTED: REPLAY")
                .containsPattern("REJECTED: (BAD_SIGNATURE|UNKNOWN_KEY)")
                .contains("REJECTED: AUDIENCE_MISMATCH")
                .doesNotContain("UNEXPECTED")
                .endsWith("Every step behaved as expected." + Cli.NL);
    }

    @Test
    void demoPrintsNoTokensOrKeys() {
        Cli.Result r = Cli.run("demo");
        String withoutKids = r.out().replaceAll("kid [A-Za-z0-9_-]+", "kid <thumbprint>");
        assertThat(LONG_SECRET.matcher(withoutKids).find()).as(r.out()).isFalse();
        assertThat(r.out()).contains("eyJ").contains("…");
    }
}
