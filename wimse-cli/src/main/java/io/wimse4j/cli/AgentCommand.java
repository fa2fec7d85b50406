package io.wimse4j.cli;

import io.wimse4j.client.IdentityServerCredentialSource;
import io.wimse4j.client.IdentityServerException;
import io.wimse4j.client.IdentityServerWicSource;
import io.wimse4j.client.InitialAttestation;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.observe.HeldCredential;
import io.wimse4j.core.observe.WimseObserver;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.x509.KeyType;
import io.wimse4j.x509.tls.WicKeyManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code wimse agent}: the role of SPIFFE's spiffe-helper. Obtains a WIT (and with {@code --wic} a WIC) from
 * the Identity Server, renews it at 2/3 of its lifetime with a fresh key each time (KEY-4, through
 * {@link IdentityServerCredentialSource} and {@link IdentityServerWicSource}), and after every issuance
 * replaces the files atomically and owner-only ({@link CredentialFiles}), then runs {@code --cmd} and/or
 * signals the process of {@code --pid-file}. Serves {@code /healthz} on loopback with {@code --health-port}.
 * Runs until stopped (exit 0); exit 1 when the first attestation is refused, so that nothing can ever be
 * obtained without a new one; exit 2 on a usage error. Tokens and keys are never printed.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Keep a WIT (and optionally a WIC) from an Identity Server in files,",
                "renewed at 2/3 of its lifetime with a fresh key each time; each file replaced",
                "atomically and owner-only (rw-------). Runs until stopped; see docs/agent.md."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped (interrupted in-process; SIGTERM gives the JVM's 143)", "1:the first attestation was refused by the server",
                "2:usage error"})
final class AgentCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Mixin
    private IssuerOptions issuer;

    @Option(names = "--out-dir", paramLabel = "<dir>", defaultValue = ".",
            description = "Directory of the files not given by path (default: the current directory).")
    private Path outDir;

    @Option(names = "--wit-file", paramLabel = "<file>", description = "The WIT, one line (default <out-dir>/wit.jwt).")
    private Path witFile;

    @Option(names = "--key-file", paramLabel = "<file>", description = "The WIT's private JWK, JSON (default <out-dir>/wit-key.jwk).")
    private Path keyFile;

    @Option(names = "--key-alg", paramLabel = "<alg>", defaultValue = "EdDSA",
            description = "Algorithm of the keys generated for the WITs: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    private JwsAlgorithm keyAlg;

    @CommandLine.ArgGroup(exclusive = false, heading = "%nA WIC besides the WIT:%n")
    private WicOptions wicOptions;

    /** The WIC the agent keeps besides the WIT. */
    static final class WicOptions {
        @Option(names = "--wic", required = true, description = "Also keep a Workload Identity Certificate (POST /v1/wic; renewed over mutual TLS).")
        boolean wic;

        @Option(names = "--id", required = true, paramLabel = "<identifier>", description = "The identifier the WIC certifies (with --wic).")
        String id;

        @Option(names = "--wic-join-token", paramLabel = "<token|@file|->",
                description = "A second join token for the WIC (a join token is used once); not needed with --k8s-token-file.")
        String joinToken;

        @Option(names = "--wic-file", paramLabel = "<file>", description = "The WIC chain, PEM leaf first (default <out-dir>/wic.pem).")
        Path chainFile;

        @Option(names = "--wic-key-file", paramLabel = "<file>", description = "The WIC's private key, PKCS#8 PEM (default <out-dir>/wic-key.pem).")
        Path keyFile;

        @Option(names = "--dns", paramLabel = "<name>", description = "A DNS name to ask for in the WIC as well (WIC-3). Repeatable.")
        List<String> dnsNames = new ArrayList<>();

        @Option(names = "--wic-key-type", paramLabel = "<type>", defaultValue = "EC_P256",
                description = "The WIC keys to generate: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
        KeyType keyType;
    }

    @Option(names = "--cmd", paramLabel = "<program>",
            description = "Run this program after each renewal is written (no shell; WIMSE_WIT_FILE, WIMSE_KEY_FILE,"
                    + " WIMSE_WIC_FILE, WIMSE_WIC_KEY_FILE in its environment).")
    private String cmd;

    @Option(names = "--cmd-arg", paramLabel = "<arg>", description = "An argument of --cmd. Repeatable, in order.")
    private List<String> cmdArgs = new ArrayList<>();

    @Option(names = "--renew-signal", paramLabel = "<signal>", description = "Send this signal (e.g. SIGHUP) after each renewal to the process of --pid-file.")
    private String renewSignal;

    @Option(names = "--pid-file", paramLabel = "<file>", description = "File holding the process id --renew-signal goes to (read at every renewal).")
    private Path pidFile;

    @Option(names = "--health-port", paramLabel = "<port>",
            description = "Serve GET /healthz on --health-bind:<port> (0: any free port): 200 while the files are fresh, 503 otherwise.")
    private Integer healthPort;

    @Option(names = "--health-bind", paramLabel = "<address>", defaultValue = "127.0.0.1",
            description = "Address of the health endpoint (default ${DEFAULT-VALUE}); 0.0.0.0 in a pod, for the kubelet's"
                    + " httpGet probes. It tells only whether the files are fresh.")
    private String healthBind;

    private final CompletableFuture<CliException> fatal = new CompletableFuture<>();

    @Override
    public Integer call() {
        issuer.check();
        if (cmd == null && !cmdArgs.isEmpty()) {
            throw CliException.usage("--cmd-arg needs --cmd");
        }
        if (healthPort != null && (healthPort < 0 || healthPort > 65535)) {
            throw CliException.usage("--health-port must be between 0 and 65535, got " + healthPort);
        }
        boolean wic = wicOptions != null;
        WorkloadIdentifier identifier = null;
        if (wic) {
            try {
                identifier = WorkloadIdentifier.parse(wicOptions.id);
            } catch (WimseException e) {
                throw CliException.usage("--id: " + e.detail());
            }
            if (issuer.attestation.joinToken != null && wicOptions.joinToken == null) {
                throw CliException.usage("--wic with --join-token needs --wic-join-token (a join token is used once)");
            }
            if (issuer.attestation.k8sTokenFile != null && wicOptions.joinToken != null) {
                throw CliException.usage("--wic-join-token goes with --join-token; with --k8s-token-file the WIC uses that file");
            }
        }
        CredentialFiles files = new CredentialFiles(or(witFile, "wit.jwt"), or(keyFile, "wit-key.jwk"),
                wic ? or(wicOptions.chainFile, "wic.pem") : null, wic ? or(wicOptions.keyFile, "wic-key.pem") : null);
        RenewalHook hook = new RenewalHook(cmd == null ? List.of() : concat(cmd, cmdArgs), renewSignal, pidFile, environment(files));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        java.io.InputStream stdin = ((WimseCli) spec.root().userObject()).stdin();
        InitialAttestation witAttestation = issuer.initialAttestation(stdin);
        InitialAttestation wicAttestation = !wic ? null : wicOptions.joinToken != null
                ? InitialAttestation.joinToken(Inputs.token(wicOptions.joinToken, stdin, "WIC join token")) : issuer.initialAttestation(stdin);

        AgentHealth health = null;
        IdentityServerCredentialSource witSource = null;
        IdentityServerWicSource wicSource = null;
        Writer writer = new Writer(files, hook, out, err);
        boolean interrupted = false;
        try {
            if (healthPort != null) {
                try {
                    health = AgentHealth.start(healthBind, healthPort, files, Clock.systemUTC());
                } catch (IOException e) {
                    throw CliException.usage("cannot serve --health-port " + healthBind + ":" + healthPort + ": " + IoErrors.describe(e));
                }
            }
            out.println("wimse agent: " + issuer.server + " -> WIT " + files.wit() + ", key " + files.witKey()
                    + (wic ? ", WIC " + files.wic() + ", key " + files.wicKey() : "")
                    + (health == null ? "" : "; health on http://" + healthBind + ":" + health.port() + "/healthz"));
            out.flush();
            witSource = issuer.witSource(witAttestation).algorithm(keyAlg)
                    .keyExport(writer::wit).observer(failures(HeldCredential.WIT, witAttestation, "the WIT attestation")).build();
            if (wic) {
                wicSource = wicSource(identifier, wicAttestation, writer);
            }
            interrupted = waitUntilStopped(writer);
        } finally {
            if (wicSource != null) {
                wicSource.close();
            }
            if (witSource != null) {
                witSource.close();
            }
            if (health != null) {
                health.close();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            return WimseCli.OK;
        }
        throw fatal.getNow(CliException.usage("stopped"));
    }

    private IdentityServerWicSource wicSource(WorkloadIdentifier identifier, InitialAttestation attestation, Writer writer) {
        IdentityServerWicSource[] self = new IdentityServerWicSource[1];
        WimseObserver failures = failures(HeldCredential.WIC, attestation, "the WIC attestation");
        IdentityServerWicSource.Builder b = IdentityServerWicSource.builder(issuer.server, identifier, attestation)
                .allowInsecureHttp(issuer.insecureHttp).keyType(wicOptions.keyType).dnsNames(wicOptions.dnsNames)
                .observer(new WimseObserver() {
                    @Override
                    public void credentialRenewed(HeldCredential credential, Instant expiresAt) {
                        failures.credentialRenewed(credential, expiresAt);
                        synchronized (self) {
                            writer.wic(self[0].keyManager());
                        }
                    }

                    @Override
                    public void credentialRenewalFailed(HeldCredential credential, Exception cause) {
                        failures.credentialRenewalFailed(credential, cause);
                    }
                });
        if (issuer.serverCa != null) {
            try {
                b.serverCaPem(issuer.serverCa);
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw CliException.usage("cannot use --server-ca: " + IoErrors.describe(e));
            }
        }
        synchronized (self) { // the first WIC may arrive before build() returns
            self[0] = b.build();
            return self[0];
        }
    }

    /** Ends the agent with exit 1 when a first attestation is refused before anything was obtained. */
    private WimseObserver failures(HeldCredential kind, InitialAttestation attestation, String what) {
        return new WimseObserver() {
            private volatile boolean obtained;

            @Override
            public void credentialRenewed(HeldCredential credential, Instant expiresAt) {
                obtained = true;
            }

            @Override
            public void credentialRenewalFailed(HeldCredential credential, Exception cause) {
                if (!obtained && (cause instanceof IdentityServerException e && e.isRejection() || !attestation.usable())) {
                    fatal.complete(IssuerOptions.failure(what, cause));
                }
            }
        };
    }

    /** Waits for an interrupt (true) or a fatal failure (false), retrying unwritten files every second. */
    private boolean waitUntilStopped(Writer writer) {
        while (true) {
            try {
                fatal.get(1, TimeUnit.SECONDS);
                return false;
            } catch (TimeoutException e) {
                writer.retry();
            } catch (InterruptedException e) {
                return true;
            } catch (java.util.concurrent.ExecutionException e) {
                return false;
            }
        }
    }

    private Path or(Path given, String name) {
        return given != null ? given : outDir.resolve(name);
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    private static Map<String, String> environment(CredentialFiles files) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WIMSE_WIT_FILE", files.wit().toAbsolutePath().toString());
        env.put("WIMSE_KEY_FILE", files.witKey().toAbsolutePath().toString());
        if (files.wic() != null) {
            env.put("WIMSE_WIC_FILE", files.wic().toAbsolutePath().toString());
            env.put("WIMSE_WIC_KEY_FILE", files.wicKey().toAbsolutePath().toString());
        }
        return env;
    }

    /**
     * Writes each new credential and fires the hook; a write that fails (disk full, directory gone) is kept and
     * retried every second until it succeeds or a newer credential replaces it.
     */
    static final class Writer {
        private final CredentialFiles files;
        private final RenewalHook hook;
        private final PrintWriter out;
        private final PrintWriter err;
        // guarded by this: the newest credentials not yet on disk
        private Runnable pendingWit;
        private Runnable pendingWic;

        Writer(CredentialFiles files, RenewalHook hook, PrintWriter out, PrintWriter err) {
            this.files = files;
            this.hook = hook;
            this.out = out;
            this.err = err;
        }

        synchronized void wit(WorkloadCredentials credentials, WorkloadKeyPair key) {
            pendingWit = run(() -> write(() -> files.writeWit(credentials, key), "WIT of " + credentials.subject()
                    + " (expires " + credentials.expiresAt() + ") to " + files.wit()));
        }

        synchronized void wic(WicKeyManager keys) {
            String alias = keys.chooseClientAlias(null, null, null);
            PrivateKey key = alias == null ? null : keys.getPrivateKey(alias);
            X509Certificate[] chain = alias == null ? null : keys.getCertificateChain(alias);
            if (key == null || chain == null) {
                return; // expired already: nothing worth writing (KEY-3)
            }
            pendingWic = run(() -> write(() -> files.writeWic(key, List.of(chain)), "WIC serial "
                    + chain[0].getSerialNumber().toString(16) + " (expires " + chain[0].getNotAfter().toInstant() + ") to " + files.wic()));
        }

        synchronized void retry() {
            pendingWit = pendingWit == null ? null : run(pendingWit);
            pendingWic = pendingWic == null ? null : run(pendingWic);
        }

        /** Runs {@code task}: null when it wrote, the task again when it must be retried. */
        private Runnable run(Runnable task) {
            try {
                task.run();
                hook.fire(err);
                return null;
            } catch (java.io.UncheckedIOException e) {
                err.println("wimse agent: cannot write the credentials (retrying): " + IoErrors.describe(e.getCause()));
                err.flush();
                return task;
            }
        }

        private void write(IoAction action, String what) {
            try {
                action.run();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            out.println("wimse agent: wrote " + what);
            out.flush();
        }

        @FunctionalInterface
        private interface IoAction {
            void run() throws IOException;
        }
    }
}
