package io.wimse4j.cli;

import io.wimse4j.client.IdentityServerCredentialSource;
import io.wimse4j.client.InitialAttestation;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.wpt.WorkloadCredentials;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code wimse wit fetch}: the agent's one-shot mode. Obtains one WIT from the Identity Server with a join
 * token or a Kubernetes service-account token (a fresh key, KEY-4), writes the WIT and its private JWK
 * atomically and owner-only in the formats {@code FileCredentialSource} reads, and exits: 0 issued, 1
 * refused by the server (nothing written), 2 usage error or the server unreachable.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Obtain one WIT from an Identity Server (POST /v1/wit) with a join token or a Kubernetes token,",
                "write it and its private JWK (rw-------) atomically, and exit (the one-shot form of 'wimse agent')."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:issued; prints the identifier, expiry and files", "1:refused by the server, or an unusable answer",
                "2:usage error, or the server unreachable"})
final class WitFetchCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private IssuerOptions issuer;

    @Option(names = "--wit-file", required = true, paramLabel = "<file>", description = "Where to write the WIT (one line).")
    private Path witFile;

    @Option(names = "--key-file", required = true, paramLabel = "<file>", description = "Where to write its private JWK (JSON, rw-------).")
    private Path keyFile;

    @Option(names = "--key-alg", paramLabel = "<alg>", defaultValue = "EdDSA",
            description = "Algorithm of the key to generate: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    private JwsAlgorithm keyAlg;

    @Option(names = "--force", description = "Overwrite existing --wit-file and --key-file files.")
    private boolean force;

    /** One issued WIT with its key. */
    private record Issued(WorkloadCredentials credentials, WorkloadKeyPair key) {
    }

    @Override
    public Integer call() {
        issuer.check();
        if (witFile.toAbsolutePath().equals(keyFile.toAbsolutePath())) {
            throw CliException.usage("--wit-file and --key-file must be different files");
        }
        CredentialFiles files = new CredentialFiles(witFile, keyFile, null, null);
        List<Path> existing = files.existing();
        if (!force && !existing.isEmpty()) {
            throw CliException.usage(existing.get(0) + " exists; use --force to overwrite it");
        }
        InitialAttestation attestation = issuer.initialAttestation(((WimseCli) spec.root().userObject()).stdin());
        AtomicReference<Issued> issued = new AtomicReference<>();
        WorkloadCredentials credentials;
        try (IdentityServerCredentialSource source = issuer.witSource(attestation).algorithm(keyAlg)
                .keyExport((c, k) -> issued.compareAndSet(null, new Issued(c, k))).build()) {
            try {
                credentials = source.current();
            } catch (WimseException e) {
                throw IssuerOptions.failure("the WIT attestation", e.getCause());
            }
        }
        Issued first = issued.get();
        if (first == null || first.credentials() != credentials) {
            throw new CliException(WimseCli.REJECTED, "the issued WIT's key was not handed over");
        }
        try {
            files.writeWit(first.credentials(), first.key());
        } catch (IOException e) {
            throw CliException.usage("cannot write the WIT or key: " + IoErrors.describe(e));
        }
        spec.commandLine().getOut().println("issued " + credentials.subject() + " (expires " + credentials.expiresAt()
                + "): WIT in " + witFile + ", key (rw-------) in " + keyFile);
        spec.commandLine().getOut().flush();
        return WimseCli.OK;
    }
}
