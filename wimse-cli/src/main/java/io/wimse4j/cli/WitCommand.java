package io.wimse4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wimse wit}: Workload Identity Token commands (an Identity Server's job, done by hand). */
@Command(name = "wit", mixinStandardHelpOptions = true,
        description = "Workload Identity Token (wit+jwt) commands.",
        subcommands = {WitIssueCommand.class, WitFetchCommand.class})
final class WitCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: issue or fetch");
    }
}
