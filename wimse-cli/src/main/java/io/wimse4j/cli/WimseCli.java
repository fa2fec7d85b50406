package io.wimse4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Objects;

/**
 * The {@code wimse} program: creates keys, Workload Identity Tokens and Workload Proof Tokens,
 * signs and verifies messages with HTTP Message Signatures ({@code wimse httpsig}), inspects and
 * verifies them, and walks newcomers through the protocol ({@code wimse demo}).
 *
 * <p>Exit codes: {@value #OK} success, {@value #REJECTED} a token or request was rejected by the
 * WIMSE rules (or an operation was refused by them), {@value #USAGE} a usage error (bad flag,
 * unreadable file, malformed key or JWKS). Errors are one line on standard error; tokens and
 * private keys are never logged.
 */
@Command(name = "wimse",
        mixinStandardHelpOptions = true,
        versionProvider = WimseCli.Version.class,
        description = "WIMSE workload identity: Workload Identity Tokens (wit+jwt), Workload Proof Tokens (wpt+jwt) and"
                + " HTTP Message Signatures with a WIT (httpsig).",
        subcommands = {KeygenCommand.class, WitCommand.class, WptCommand.class, HttpsigCommand.class, WicCommand.class,
                InspectCommand.class, VerifyCommand.class, DemoCommand.class, DemoServiceCommand.class, ServerCommand.class,
                AdminCommand.class, AgentCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nSign a request by hand and send it with curl:%n",
        footer = {
                "  wimse keygen --alg ES256 --out issuer.jwk --public-out issuer.pub.jwk",
                "  wimse keygen --alg EdDSA --out workload.jwk --public-out workload.pub.jwk",
                "  WIT=$(wimse wit issue --issuer-key issuer.jwk \\",
                "        --sub wimse://example.org/svc-a --cnf workload.pub.jwk)",
                "  AT=my-access-token",
                "  WPT=$(wimse wpt create --key workload.jwk --wit \"$WIT\" \\",
                "        --transport workload-proof-token --access-token \"$AT\" \\",
                "        --aud https://svc-b.example.org/orders)",
                "  curl -H \"Workload-Identity-Token: $WIT\" -H \"Workload-Proof-Token: $WPT\" \\",
                "       -H \"Authorization: Bearer $AT\" https://svc-b.example.org/orders",
                "",
                "The receiver checks such a request (saved as raw HTTP/1.1 text) with:",
                "  wimse verify --trust example.org=issuer.pub.jwk \\",
                "       --audience https://svc-b.example.org/orders --request request.http",
                "",
                "Exit codes: 0 success, 1 rejected (token or request invalid), 2 usage error."})
public final class WimseCli implements Runnable {
    /** Exit code of success. */
    public static final int OK = 0;
    /** Exit code when a token or request is rejected by the WIMSE rules. */
    public static final int REJECTED = 1;
    /** Exit code of a usage error: bad flags, unreadable files, malformed keys. */
    public static final int USAGE = 2;

    private final InputStream stdin;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** A program reading standard input from {@code stdin}. */
    public WimseCli(InputStream stdin) {
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    /** The entry point; exits the JVM with the command's exit code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(commandLine(System.in, out, err).execute(args));
    }

    /**
     * A configured command line writing to {@code out} and {@code err} and reading {@code stdin};
     * tests call {@link CommandLine#execute(String...)} on it.
     */
    public static CommandLine commandLine(InputStream stdin, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new WimseCli(stdin));
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // '@file' is ours (a token read from a file, Inputs.token), never picocli's argument-file expansion,
        // which would splice a file's words into the command line
        cl.setExpandAtFiles(false);
        cl.setExitCodeExceptionMapper(t -> t instanceof CliException c ? c.exitCode() : USAGE);
        cl.setParameterExceptionHandler(WimseCli::onParameterException);
        cl.setExecutionExceptionHandler(WimseCli::onExecutionException);
        cl.getCommandSpec().exitCodeOnInvalidInput(USAGE);
        return cl;
    }

    /** Standard input of this program. */
    InputStream stdin() {
        return stdin;
    }

    /** {@code wimse} alone is a usage error (exit {@value #USAGE}): the commands are listed on standard error. */
    @Override
    public void run() {
        throw missingSubcommand(spec);
    }

    /** The usage error of a command group run without its subcommand, with the group's usage on standard error. */
    static CommandLine.ParameterException missingSubcommand(CommandLine.Model.CommandSpec spec) {
        spec.commandLine().usage(spec.commandLine().getErr());
        return new CommandLine.ParameterException(spec.commandLine(), "missing command: one of "
                + String.join(", ", spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList()));
    }

    private static int onParameterException(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage()
                + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        cl.getErr().flush();
        return USAGE;
    }

    private static int onExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        if (e instanceof CliException c) {
            cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + c.getMessage());
            cl.getErr().flush();
            return c.exitCode();
        }
        // Unexpected: the class name and message only; core messages never contain key material.
        cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": internal error: "
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        cl.getErr().flush();
        return USAGE;
    }

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = WimseCli.class.getPackage().getImplementationVersion();
            return new String[] {"wimse " + (v == null ? "(development build)" : v)};
        }
    }
}
