package io.wimse4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wimse wic}: Workload Identity Certificate (X.509) commands: inspect, verify, request. */
@Command(name = "wic", mixinStandardHelpOptions = true,
        description = "Workload Identity Certificate (X.509, one URI SAN) commands.",
        subcommands = {WicInspectCommand.class, WicVerifyCommand.class, WicRequestCommand.class})
final class WicCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: inspect, verify or request");
    }
}
