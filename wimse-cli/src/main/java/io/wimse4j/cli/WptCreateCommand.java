package io.wimse4j.cli;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitInfo;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.core.wpt.RequestSigner;
import io.wimse4j.core.wpt.WimseHeaders;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.core.wpt.WptCreator;
import io.wimse4j.core.wpt.WptTransport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code wimse wpt create}: signs a WPT (WPT-1..WPT-9) for one request with the workload's private
 * key, binding the WIT ({@code wth}) and optionally a Txn-Token ({@code tth}) and, in the seed
 * transport, an access token ({@code ath}). Prints the compact token, or with {@code --header-line}
 * the header that carries it in the chosen transport ({@code Authorization: WPT <jwt>} by default,
 * P2-1, or {@code Workload-Proof-Token: <jwt>}).
 */
@Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Create a Workload Proof Token for one request, signed with the workload's private key.",
                "Prints the compact WPT; send it next to the WIT as 'Authorization: WPT <wpt>' (wpt-02, the default",
                "--transport) or in the Workload-Proof-Token header (--transport workload-proof-token, the seed drafts)."})
final class WptCreateCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "<private-jwk-file>",
            description = "The workload's private JWK (the private half of the WIT's cnf.jwk).")
    private String key;

    @Option(names = "--wit", required = true, paramLabel = "<token|@file|->",
            description = "The WIT: the token itself, @file, or '-' for standard input.")
    private String wit;

    @Option(names = "--aud", required = true, paramLabel = "<uri>",
            description = "The audience: the target URI without query and fragment (WPT-4).")
    private String aud;

    @Option(names = "--access-token", paramLabel = "<token>",
            description = "The OAuth access token sent in 'Authorization: Bearer ...'; bound by 'ath'."
                    + " Only with --transport workload-proof-token: with 'Authorization: WPT' no bearer token goes along (P2-3).")
    private String accessToken;

    @Option(names = "--transport", paramLabel = "<transport>", defaultValue = "authorization",
            description = "Where the WPT travels: 'authorization' (Authorization: WPT, wpt-02; default) or"
                    + " 'workload-proof-token' (the seed drafts' header).")
    private String transport;

    @Option(names = "--header-line", description = "Print the whole header line (e.g. 'Authorization: WPT <wpt>') instead of the bare token.")
    private boolean headerLine;

    @Option(names = "--txn-token", paramLabel = "<token>", description = "The Txn-Token header value; bound by 'tth'.")
    private String txnToken;

    @Option(names = "--ttl", paramLabel = "<seconds>", defaultValue = "60",
            description = "Lifetime in seconds (default: ${DEFAULT-VALUE}, at most 300).")
    private long ttl;

    @Override
    public Integer call() {
        var stdin = ((WimseCli) spec.root().userObject()).stdin();
        if (ttl < 1 || ttl > WptCreator.MAX_TTL.toSeconds()) {
            throw CliException.usage("--ttl must be between 1 and " + WptCreator.MAX_TTL.toSeconds() + " seconds");
        }
        checkAudience(aud);
        WptTransport where = TransportOption.one(transport, "--transport");
        if (where == WptTransport.AUTHORIZATION && accessToken != null) {
            throw CliException.usage("--access-token needs --transport workload-proof-token: a request with"
                    + " 'Authorization: WPT' carries no bearer token, so there is nothing for 'ath' to bind (P2-3)");
        }
        String witToken = Inputs.token(wit, stdin, "WIT");
        WitInfo info;
        try {
            info = WitInfo.decodeUnverified(witToken);
        } catch (WimseException e) {
            throw CliException.badInput("--wit", e);
        }
        WorkloadKeyPair pair = Inputs.privateKey(key, stdin, info.proofAlgorithm(), "workload key");
        WorkloadCredentials creds = Inputs.credentials(witToken, pair);
        try {
            ProofBindings bindings = new ProofBindings(Optional.ofNullable(bearer(accessToken)),
                    Optional.ofNullable(blankToNull(txnToken, "--txn-token")), Map.of());
            String wpt = WptCreator.create(Clock.systemUTC(), Duration.ofSeconds(ttl)).create(creds, aud, bindings);
            spec.commandLine().getOut().println(headerLine
                    ? new RequestSigner.SignedHeaders(witToken, wpt, where).proofHeaderName() + ": " + where.headerValue(wpt) : wpt);
            spec.commandLine().getOut().flush();
            return WimseCli.OK;
        } catch (WimseException e) {
            throw CliException.rejected(e);
        }
    }

    /** The token itself; a value given as {@code Bearer <token>} is accepted too. */
    private static String bearer(String value) {
        String v = blankToNull(value, "--access-token");
        if (v == null) {
            return null;
        }
        String fromHeader = WimseHeaders.accessToken(v);
        return fromHeader != null ? fromHeader : v;
    }

    private static String blankToNull(String value, String option) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw CliException.usage(option + " must not be blank");
        }
        return value.strip();
    }

    /**
     * {@code --aud} as a verifier will compare it (WPT-4): an absolute {@code https} or {@code http} URI with a
     * host, without query or fragment. Anything else could never verify, so it is a usage error.
     */
    static void checkAudience(String aud) {
        if (aud.isBlank()) {
            throw CliException.usage("--aud must not be blank");
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(aud);
        } catch (java.net.URISyntaxException e) {
            throw CliException.usage("--aud is not a URI: " + e.getReason());
        }
        if (!uri.isAbsolute() || uri.getHost() == null
                || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
            throw CliException.usage("--aud must be an absolute https:// URI with a host, the request's target (WPT-4): got '" + aud + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw CliException.usage("--aud must not have a query or a fragment: a verifier compares the target URI without them (WPT-4)");
        }
    }
}
