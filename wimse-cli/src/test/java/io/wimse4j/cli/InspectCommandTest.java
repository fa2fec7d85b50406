package io.wimse4j.cli;

import io.wimse4j.testkit.DraftExample;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wimse inspect}: decodes without trusting, and says so. */
class InspectCommandTest {
    private static final String NOW = Long.toString(DraftExample.VALID_AT.getEpochSecond());

    @Test
    void witShowsHeaderClaimsKindTimesAndNotVerified() {
        Cli.Result r = Cli.run("inspect", "--now", NOW, DraftExample.WIT);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("NOT VERIFIED")
                .contains("Kind: Workload Identity Token (WIT, typ wit+jwt)")
                .contains("\"typ\" : \"wit+jwt\"")
                .contains("\"kid\" : \"June 5\"")
                .contains("\"sub\" : \"wimse://example.com/specific-workload\"")
                .contains("\"jti\" : \"x-_1CTL2cca3CSE4cwb_l\"")
                // exp 1745512510 is 2610 s after the reference instant; iat 990 s before it
                .contains("exp: 1745512510 = 2025-04-24T16:35:10Z (in 43m 30s)")
                .contains("iat: 1745508910 = 2025-04-24T15:35:10Z (16m 30s ago)");
    }

    @Test
    void wptIsRecognisedByTyp() {
        Cli.Result r = Cli.runWithStdin(DraftExample.WPT + "\n", "inspect", "--now", NOW, "-");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("Kind: Workload Proof Token (WPT, typ wpt+jwt)")
                .contains("\"ath\" : \"CL4wjfpRmNf-bdYIbYLnV9d5rMARGwKYE10wUwzC0jI\"")
                .contains("\"wth\" : \"AaYUfC34D1di2FxQLpiIJJ7Sg8VZ6o8OCdwSf9IToLg\"")
                .contains("NOT VERIFIED");
    }

    @Test
    void malformedTokenExits1WithReason() {
        Cli.Result r = Cli.run("inspect", "abc.def");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("MALFORMED_TOKEN");
    }

    @Test
    void badBase64Exits1WithReason() {
        Cli.Result r = Cli.run("inspect", "eyJhbGciOiJFUzI1NiJ9.e30=.c2ln");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("BAD_ENCODING");
    }

    @Test
    void relativeTimes() {
        assertThat(InspectCommand.relative(Duration.ofSeconds(61))).isEqualTo("in 1m 1s");
        assertThat(InspectCommand.relative(Duration.ofHours(-26))).isEqualTo("1d 2h ago");
        assertThat(InspectCommand.relative(Duration.ZERO)).isEqualTo("now");
        assertThat(Instant.ofEpochSecond(1745512510L)).hasToString("2025-04-24T16:35:10Z");
    }
}
