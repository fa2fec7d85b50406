package io.wimse4j.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The top-level program: help with the curl walkthrough, unknown commands. */
class WimseCliTest {
    @Test
    void helpListsSubcommandsAndTheCurlSequence() {
        Cli.Result r = Cli.run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("keygen", "wit", "wpt", "httpsig", "inspect", "verify", "demo")
                .contains("wimse wpt create --key workload.jwk")
                .contains("curl -H \"Workload-Identity-Token: $WIT\"");
    }

    @Test
    void unknownSubcommandIsUsageError() {
        Cli.Result r = Cli.run("frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("frobnicate");
        assertThat(r.err().strip()).doesNotContain(Cli.NL);
    }

    @Test
    void witWithoutSubcommandIsUsageError() {
        Cli.Result r = Cli.run("wit");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("missing subcommand");
    }
}
