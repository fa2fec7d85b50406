package io.wimse4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wimse wpt}: Workload Proof Token commands (what a calling workload does per request). */
@Command(name = "wpt", mixinStandardHelpOptions = true,
        description = "Workload Proof Token (wpt+jwt) commands.",
        subcommands = {WptCreateCommand.class})
final class WptCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: create");
    }
}
