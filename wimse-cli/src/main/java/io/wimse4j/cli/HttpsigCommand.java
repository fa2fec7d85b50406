package io.wimse4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wimse httpsig}: HTTP Message Signatures with a WIT (RFC 9421, draft-ietf-wimse-http-signature). */
@Command(name = "httpsig", mixinStandardHelpOptions = true,
        description = {"HTTP Message Signatures (RFC 9421) with a WIT: sign and verify.",
                "draft-ietf-wimse-http-signature: the alternative to a WPT, signing the whole",
                "request (and the response) with the WIT's cnf key."},
        subcommands = {HttpsigSignCommand.class, HttpsigVerifyCommand.class})
final class HttpsigCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: sign or verify");
    }
}
