package io.wimse4j.cli;

import io.wimse4j.server.ConfigLoader;
import io.wimse4j.server.IdentityServer;
import io.wimse4j.server.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code wimse server}: runs the Identity Server until killed. Settings come from {@code --config}
 * (Java properties), then {@code WIMSE_SERVER_<KEY>} environment variables, then these flags (flags
 * win). Prints the URL, the CA certificate (path and PEM; with {@code --tls-cert}, the operator's certificate
 * file instead) and the path of the admin token file, never the admin token itself.
 */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the WIMSE Identity Server (HTTPS with its own CA, bound to 127.0.0.1 by default) until killed.",
                "Settings: --config file, then WIMSE_SERVER_<KEY> environment variables, then flags."})
final class ServerCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "<file>", description = "Java properties file with the settings (keys as the flags).")
    private Path config;
    @Option(names = "--trust-domain", paramLabel = "<td>", description = "The trust domain WITs are issued for (required).")
    private String trustDomain;
    @Option(names = "--state-dir", paramLabel = "<dir>", description = "State directory (default ./wimse-server-state).")
    private String stateDir;
    @Option(names = "--base-uri", paramLabel = "<uri>", description = "External base URI (default https://localhost:<port>).")
    private String baseUri;
    @Option(names = "--bind", paramLabel = "<addr>", description = "Bind address (default 127.0.0.1).")
    private String bind;
    @Option(names = "--port", paramLabel = "<port>", description = "Port (default 8443; 0 = any free port).")
    private String port;
    @Option(names = "--key-alg", paramLabel = "<alg>", description = "WIT signing algorithm: ES256 (default), ES384, EdDSA or Ed25519 (EdDSA's RFC 9864 name).")
    private String keyAlg;
    @Option(names = "--default-wit-ttl", paramLabel = "<duration>", description = "Default WIT lifetime (default 1h).")
    private String defaultWitTtl;
    @Option(names = "--max-wit-ttl", paramLabel = "<duration>", description = "Longest WIT lifetime (default 24h).")
    private String maxWitTtl;
    @Option(names = "--jwks-max-age", paramLabel = "<duration>", description = "JWKS Cache-Control max-age (default 300s).")
    private String jwksMaxAge;
    @Option(names = "--publish-ahead", paramLabel = "<duration>", description = "How long a new key is published before it signs (default: JWKS max-age).")
    private String publishAhead;
    @Option(names = "--rotate-every", paramLabel = "<duration>", description = "Rotate the signing key on this schedule (default: only by admin command).")
    private String rotateEvery;
    @Option(names = "--dns-name", paramLabel = "<name>", description = "Extra DNS name for the TLS certificate (repeatable).")
    private List<String> dnsNames;
    @Option(names = "--wic-ttl", paramLabel = "<duration>",
            description = "Lifetime of the Workload Identity Certificates of POST /v1/wic (default 1h, at most 24h).")
    private String wicTtl;
    @Option(names = "--leeway", paramLabel = "<duration>", description = "Clock skew tolerated (default 60s).")
    private String leeway;
    @Option(names = "--max-concurrent-issuances", paramLabel = "N",
            description = "Issuance requests handled at once; more get 503 server-busy with Retry-After (default 32).")
    private String maxConcurrentIssuances;
    @Option(names = "--kubernetes-issuer", paramLabel = "<iss>", description = "Kubernetes service-account token issuer.")
    private String k8sIssuer;
    @Option(names = "--kubernetes-audience", paramLabel = "<aud>", description = "Audience the service-account tokens must carry.")
    private String k8sAudience;
    @Option(names = "--kubernetes-jwks-file", paramLabel = "<file>", description = "The cluster's JWKS.")
    private String k8sJwksFile;
    @Option(names = "--kubernetes-jwks-url", paramLabel = "<url>",
            description = "The cluster's JWKS URL (https; http only to loopback), fetched and refreshed; instead of --kubernetes-jwks-file.")
    private String k8sJwksUrl;
    @Option(names = "--kubernetes-ca-file", paramLabel = "<file>", description = "PEM CA the JWKS URL's TLS certificate chains to.")
    private String k8sCaFile;
    @Option(names = "--kubernetes-jwks-refresh", paramLabel = "<duration>", description = "How often the JWKS URL is fetched (default 5m).")
    private String k8sJwksRefresh;
    @Option(names = "--admin-listen", paramLabel = "<host:port>",
            description = "Serve the admin API only on this loopback address (404 on the main port).")
    private String adminListen;
    @Option(names = "--audit-max-bytes", paramLabel = "N", description = "Rotate audit.log past this size (default 10485760; 0 = never).")
    private String auditMaxBytes;
    @Option(names = "--audit-keep", paramLabel = "N", description = "Rotated audit files kept (default 5).")
    private String auditKeep;
    @Option(names = "--registrations-file", paramLabel = "<file>",
            description = "JSON file of declared registrations, reconciled at start and whenever it changes.")
    private String registrationsFile;
    @Option(names = "--tls-cert", paramLabel = "<file>",
            description = "Serve TLS with this operator-provided certificate chain (PEM, leaf first) instead of the built-in CA's; with --tls-key.")
    private String tlsCert;
    @Option(names = "--tls-key", paramLabel = "<file>", description = "The private key (PEM, owner-only) of --tls-cert.")
    private String tlsKey;
    @Option(names = "--insecure-http", description = "Serve plain HTTP. For tests and demos only: tokens travel in clear text.")
    private boolean insecureHttp;

    private final Map<String, String> environment;

    /** A command reading {@code WIMSE_SERVER_*} from the process environment. */
    public ServerCommand() {
        this(System.getenv());
    }

    ServerCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new HashMap<>();
        flags.put("trust-domain", trustDomain);
        flags.put("state-dir", stateDir);
        flags.put("base-uri", baseUri);
        flags.put("bind", bind);
        flags.put("port", port);
        flags.put("key-alg", keyAlg);
        flags.put("default-wit-ttl", defaultWitTtl);
        flags.put("max-wit-ttl", maxWitTtl);
        flags.put("jwks-max-age", jwksMaxAge);
        flags.put("publish-ahead", publishAhead);
        flags.put("rotate-every", rotateEvery);
        flags.put("dns-names", dnsNames == null ? null : String.join(",", dnsNames));
        flags.put("wic-ttl", wicTtl);
        flags.put("leeway", leeway);
        flags.put("max-concurrent-issuances", maxConcurrentIssuances);
        flags.put("kubernetes-issuer", k8sIssuer);
        flags.put("kubernetes-audience", k8sAudience);
        flags.put("kubernetes-jwks-file", k8sJwksFile);
        flags.put("kubernetes-jwks-url", k8sJwksUrl);
        flags.put("kubernetes-ca-file", k8sCaFile);
        flags.put("kubernetes-jwks-refresh", k8sJwksRefresh);
        flags.put("admin-listen", adminListen);
        flags.put("audit-max-bytes", auditMaxBytes);
        flags.put("audit-keep", auditKeep);
        flags.put("registrations-file", registrationsFile);
        flags.put("tls-cert", tlsCert);
        flags.put("tls-key", tlsKey);
        flags.put("insecure-http", insecureHttp ? "true" : null);
        ServerConfig cfg;
        try {
            cfg = ConfigLoader.load(config, environment, flags);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        } catch (IOException e) {
            throw CliException.usage("cannot read --config: " + IoErrors.describe(e));
        }
        if (cfg.insecureHttp()) {
            Loopback.require(cfg.bind(), "--insecure-http");
        }
        Loopback.probe(cfg.bind(), cfg.port()); // before any state is written
        PrintWriter out = spec.commandLine().getOut();
        boolean interrupted = false;
        try (IdentityServer server = IdentityServer.builder(cfg).build()) {
            try {
                server.start();
            } catch (IOException e) {
                throw CliException.usage("cannot start: " + IoErrors.describe(e));
            }
            out.println("Identity Server for trust domain " + cfg.trustDomain() + " listening on "
                    + cfg.bind() + ":" + server.port());
            out.println("base URI:         " + server.baseUri());
            out.println("JWKS:             " + server.baseUri() + "/.well-known/jwks.json");
            out.println("state directory:  " + server.stateDir());
            out.println("admin token file: " + server.adminTokenFile());
            if (cfg.adminListen().isPresent()) {
                out.println("admin API:        " + cfg.adminListen().get().getHostString() + ":" + server.adminPort() + " only");
            }
            if (cfg.operatorTls().isPresent()) {
                out.println("TLS certificate:  " + cfg.operatorTls().get().certificateChain()
                        + " (operator-provided: clients trust the operator's CA; no /ca.pem)");
            } else {
                out.println("CA certificate:   " + server.caCertFile());
                out.print(server.caPem());
            }
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception ignored) {
                    // exiting anyway
                }
            }, "wimse-server-shutdown"));
            try {
                Thread.currentThread().join();
            } catch (InterruptedException e) {
                interrupted = true; // stop serving; the flag is restored once the server is closed
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return WimseCli.OK;
    }
}
