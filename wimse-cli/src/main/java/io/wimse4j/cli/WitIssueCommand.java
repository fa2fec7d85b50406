package io.wimse4j.cli;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.PublicJwk;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wit.WitIssuer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code wimse wit issue}: signs a WIT (WIT-1..WIT-8) for {@code --sub} binding the public key in
 * {@code --cnf}, with the Identity Server key in {@code --issuer-key}. The trust domain is the one
 * of {@code --sub}. Prints the compact token.
 */
@Command(name = "issue", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Issue a Workload Identity Token, as the Identity Server of the subject's trust domain would.",
                "Prints the compact WIT."})
final class WitIssueCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--issuer-key", required = true, paramLabel = "<private-jwk-file>",
            description = "The Identity Server's private JWK.")
    private String issuerKey;

    @Option(names = "--sub", required = true, paramLabel = "<workload-id>",
            description = "The workload identifier, e.g. wimse://example.org/svc-a.")
    private String sub;

    @Option(names = "--cnf", required = true, paramLabel = "<public-jwk-file>",
            description = "The workload's public JWK (must carry 'alg'); the WPT must be signed with its private key.")
    private String cnf;

    @Option(names = "--ttl", paramLabel = "<seconds>", defaultValue = "3600",
            description = "Lifetime in seconds (default: ${DEFAULT-VALUE}, at most 86400).")
    private long ttl;

    @Option(names = "--iss", paramLabel = "<issuer>", description = "The 'iss' claim (RECOMMENDED, WIT-3).")
    private String iss;

    @Override
    public Integer call() {
        var stdin = ((WimseCli) spec.root().userObject()).stdin();
        WorkloadIdentifier subject;
        try {
            subject = WorkloadIdentifier.parse(sub);
        } catch (WimseException e) {
            throw CliException.usage("--sub: " + e.detail());
        }
        if (ttl <= 0 || ttl > Duration.ofHours(24).toSeconds()) {
            throw CliException.usage("--ttl must be between 1 and 86400 seconds");
        }
        if (iss != null && iss.isBlank()) {
            throw CliException.usage("--iss must not be blank");
        }
        WorkloadKeyPair issuerPair = Inputs.privateKey(issuerKey, stdin, null, "issuer key");
        PublicJwk workloadKey;
        try {
            workloadKey = PublicJwk.parse(Inputs.readText(cnf, stdin, "cnf key"));
        } catch (WimseException e) {
            if (e.detail().contains("private member")) {
                throw CliException.usage("cnf key '" + cnf + "' contains a private key; give the public JWK (keygen --public-out)");
            }
            throw CliException.usage("cnf key '" + cnf + "' is not a usable public JWK");
        }
        WitIssuer issuer = WitIssuer.builder().signer(issuerPair.signer()).trustDomain(subject.trustDomain())
                .issuer(iss).build();
        try {
            String wit = issuer.issue(subject, workloadKey, Duration.ofSeconds(ttl), Map.of()).token();
            spec.commandLine().getOut().println(wit);
            spec.commandLine().getOut().flush();
            return WimseCli.OK;
        } catch (WimseException e) {
            throw CliException.badInput("cannot issue the WIT", e);
        }
    }
}
