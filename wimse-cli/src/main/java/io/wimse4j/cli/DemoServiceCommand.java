package io.wimse4j.cli;

import io.wimse4j.client.FileCredentialSource;
import io.wimse4j.client.HttpJwksTrustBundleSource;
import io.wimse4j.client.TlsTrust;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.TrustBundleSource;
import io.wimse4j.demo.DemoService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code wimse demo-service}: runs the {@link DemoService} (an echo service behind the WIMSE servlet
 * filter) until the process is stopped, printing the address it listens on. Trust bundles come from
 * JWKS files (ID-3); TLS from PEM files, or plain HTTP only when asked for ({@code --insecure-http},
 * SEC-1); the replay cache is in memory or shared through Redis ({@code --redis}, SEC-4). With
 * {@code --mtls-ca} callers present a client certificate (WIC) of a listed trust domain's CA instead
 * (mutual TLS, MT-1, MT-2), and the tokens too when {@code --trust} is also given. Never
 * prints a key or token.
 */
@Command(name = "demo-service", mixinStandardHelpOptions = true,
        description = {"Run an echo service protected by WIMSE request verification until stopped (Ctrl-C).",
                "GET and POST /echo answer {\"workload\", \"trust_domain\", \"method\", \"path\"} for a verified caller;",
                "rejected requests get an RFC 9457 problem (400, or 503 when Redis is down)."})
final class DemoServiceCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--trust", paramLabel = "<trust-domain>=<jwks-file|https-url>",
            description = {"Trust <trust-domain>'s Identity Server keys: a JWKS file (or one public JWK), or the https URL",
                    "of its published JWKS (fetched, refreshed per Cache-Control, followed through rotations). Repeatable.",
                    "Required unless --mtls-ca is given; with --mtls-ca, requests need a WIT and WPT of the certificate's workload too."})
    private List<String> trust = new ArrayList<>();

    @Option(names = "--mtls-ca", paramLabel = "<trust-domain>=<ca.pem>",
            description = {"Mutual TLS: require a client certificate (WIC) issued by the CA(s) in <ca.pem> for <trust-domain>,",
                    "validated in the TLS handshake; the caller is its URI SAN. Repeatable; needs --tls-cert/--tls-key."})
    private List<String> mtlsCa = new ArrayList<>();

    @Option(names = "--mtls-allow", paramLabel = "<identifier>",
            description = {"With --mtls-ca: only these workloads may connect, decided in the TLS handshake (a certificate of",
                    "any other is refused, PEER_NOT_AUTHORIZED). Repeatable; default: any validated WIC."})
    private List<String> mtlsAllow = new ArrayList<>();

    @Option(names = "--trust-ca", paramLabel = "<pem>",
            description = "CA certificate (PEM) to trust for the https JWKS URLs, e.g. an Identity Server's ca.pem (default: the JDK's trust store).")
    private Path trustCa;

    @Option(names = "--base-uri", required = true, paramLabel = "<uri>",
            description = "The external base URI callers use, e.g. https://echo.example.org; proofs must name <uri>/echo.")
    private String baseUri;

    @Option(names = "--redis", paramLabel = "<url>", description = "Share the replay cache through Redis, e.g. redis://127.0.0.1:6379 (default: in memory).")
    private String redis;

    @Option(names = "--transport", paramLabel = "<transport>", defaultValue = "both",
            description = "The WPT transports served: 'both' (default), 'authorization' (Authorization: WPT, wpt-02)"
                    + " or 'workload-proof-token' (the seed drafts' header).")
    private String transport;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8443", description = "TCP port, 0 for any free port (default ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--bind", paramLabel = "<address>", defaultValue = "127.0.0.1", description = "Local address to listen on (default ${DEFAULT-VALUE}).")
    private String bind;

    @Option(names = "--tls-cert", paramLabel = "<pem>", description = "Server certificate chain (PEM, leaf first).")
    private Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "<pem>", description = "Server private key (PEM, unencrypted).")
    private Path tlsKey;

    @Option(names = "--insecure-http", description = "Serve plain HTTP: tokens travel in clear. Loopback demos only.")
    private boolean insecureHttp;

    @Option(names = "--sign-wit", paramLabel = "<file>",
            description = {"The service's own WIT (compact JWS in a file, re-read when it changes): with --sign-key it signs",
                    "its answers to requests signed with HTTP Message Signatures (draft-ietf-wimse-http-signature)."})
    private Path signWit;

    @Option(names = "--sign-key", paramLabel = "<file>", description = "The private JWK of --sign-wit's cnf key (an owner-only file).")
    private Path signKey;

    @Option(names = "--no-http-signatures", description = "Accept WIT + WPT only, not HTTP Message Signatures.")
    private boolean noHttpSignatures;

    @Override
    public Integer call() throws Exception {
        DemoService service = build();
        try {
            service.start();
        } catch (IOException e) {
            service.close();
            throw CliException.usage("cannot listen on " + bind + ":" + port + ": " + IoErrors.describe(e));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            closeQuietly(service);
            stopped.countDown();
        }, "wimse-demo-service-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        out.println("wimse demo-service listening on " + service.localUri() + " (external base URI "
                + service.externalBaseUri() + ", GET/POST /echo, "
                + (service.mutualTls() ? "mutual TLS" + (trust.isEmpty() ? "" : " and tokens") : "replay cache " + (redis != null ? "Redis" : "in memory"))
                + (signWit != null ? ", signs answers to HTTP-signed requests" : "") + ")");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran: it closes the service
            }
            closeQuietly(service);
        }
        return WimseCli.OK;
    }

    private DemoService build() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw CliException.usage("--tls-cert and --tls-key go together");
        }
        if (tlsCert == null && !insecureHttp) {
            throw CliException.usage("TLS is required (SEC-1): give --tls-cert and --tls-key, or --insecure-http explicitly");
        }
        if (tlsCert != null && insecureHttp) {
            throw CliException.usage("give either --tls-cert/--tls-key or --insecure-http, not both");
        }
        if (insecureHttp) {
            Loopback.require(bind, "--insecure-http");
        }
        if (trust.isEmpty() && mtlsCa.isEmpty()) {
            throw CliException.usage("give --trust <trust-domain>=<jwks>, or --mtls-ca <trust-domain>=<ca.pem> for mutual TLS");
        }
        if (!mtlsCa.isEmpty() && tlsCert == null) {
            throw CliException.usage("--mtls-ca needs --tls-cert and --tls-key (mutual TLS is TLS)");
        }
        if (!mtlsAllow.isEmpty() && mtlsCa.isEmpty()) {
            throw CliException.usage("--mtls-allow needs --mtls-ca");
        }
        if ((signWit == null) != (signKey == null)) {
            throw CliException.usage("--sign-wit and --sign-key go together");
        }
        if (signWit != null && noHttpSignatures) {
            throw CliException.usage("--sign-wit signs answers to HTTP-signed requests, which --no-http-signatures refuses");
        }
        DemoService.Builder b = DemoService.builder().port(port).bindAddress(bind)
                .transports(TransportOption.accepted(transport, "--transport"));
        if (!trust.isEmpty()) {
            trust(b);
        }
        if (!mtlsCa.isEmpty()) {
            b.mutualTls(X509Inputs.trust(mtlsCa, "--mtls-ca", ((WimseCli) spec.root().userObject()).stdin()));
        }
        if (!mtlsAllow.isEmpty()) {
            List<io.wimse4j.core.id.WorkloadIdentifier> allowed = new ArrayList<>();
            for (String id : mtlsAllow) {
                try {
                    allowed.add(io.wimse4j.core.id.WorkloadIdentifier.parse(id));
                } catch (io.wimse4j.core.error.WimseException e) {
                    throw CliException.usage("--mtls-allow: " + e.detail());
                }
            }
            b.authorizeClients(io.wimse4j.core.authz.CallerAuthorizer.oneOf(
                    allowed.toArray(io.wimse4j.core.id.WorkloadIdentifier[]::new)));
        }
        try {
            b.externalBaseUri(new URI(baseUri));
        } catch (java.net.URISyntaxException e) {
            throw CliException.usage("--base-uri: not a URI: " + e.getMessage());
        }
        if (redis != null) {
            b.redisUrl(redis);
        }
        if (tlsCert != null) {
            b.tls(tlsCert, tlsKey);
        }
        if (insecureHttp) {
            b.insecureHttp();
        }
        b.httpSignatures(!noHttpSignatures && mtlsCa.isEmpty());
        if (signWit != null) {
            try {
                FileCredentialSource own = FileCredentialSource.builder(signWit, signKey).build();
                own.current(); // a bad pair fails at startup, not at the first signed answer
                b.responseCredentials(own);
            } catch (io.wimse4j.core.error.WimseException e) {
                throw CliException.usage("--sign-wit/--sign-key: " + e.reason().code() + ": " + e.detail());
            }
        }
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw CliException.usage(e.getMessage());
        } catch (IOException e) {
            throw CliException.usage("TLS files: " + IoErrors.describe(e));
        }
    }

    /** Fixed JWKS files become bundles; https JWKS URLs one {@link HttpJwksTrustBundleSource}. */
    private void trust(DemoService.Builder b) {
        List<TrustBundle> fixed = new ArrayList<>();
        Map<TrustDomain, URI> remote = new LinkedHashMap<>();
        java.util.Set<TrustDomain> seen = new java.util.HashSet<>();
        for (String t : trust) {
            int eq = t.indexOf('=');
            if (eq <= 0 || eq == t.length() - 1) {
                throw CliException.usage("--trust must be <trust-domain>=<jwks-file|https-url>, got '" + t + "'");
            }
            String where = t.substring(eq + 1);
            TrustDomain td;
            try {
                td = TrustDomain.parse(t.substring(0, eq));
            } catch (WimseException e) {
                throw CliException.usage("--trust: " + e.detail());
            }
            if (!seen.add(td)) {
                throw CliException.usage("--trust: trust domain " + td + " is given twice");
            }
            if (where.startsWith("http://")) {
                throw CliException.usage("--trust " + td + ": a JWKS URL must be https (SEC-1)");
            }
            if (where.startsWith("https://")) {
                try {
                    remote.put(td, new URI(where));
                } catch (java.net.URISyntaxException e) {
                    throw CliException.usage("--trust " + td + ": not a URL: " + e.getMessage());
                }
                continue;
            }
            String jwks = Inputs.readText(where, ((WimseCli) spec.root().userObject()).stdin(), "JWKS");
            try {
                fixed.add(TrustBundle.fromJwks(td, jwks));
            } catch (WimseException e) {
                throw CliException.badInput("--trust " + td + ": bad JWKS in '" + where + "'", e);
            }
        }
        if (trustCa != null && remote.isEmpty()) {
            throw CliException.usage("--trust-ca applies to https JWKS URLs, and no --trust gives one");
        }
        if (remote.isEmpty()) {
            fixed.forEach(b::trust);
            return;
        }
        HttpJwksTrustBundleSource.Builder sb = HttpJwksTrustBundleSource.builder();
        remote.forEach(sb::trustDomain);
        if (trustCa != null) {
            try {
                sb.sslContext(TlsTrust.fromCaPem(trustCa));
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw CliException.usage("cannot use --trust-ca: " + IoErrors.describe(e));
            }
        }
        HttpJwksTrustBundleSource fetched = sb.build();
        if (fixed.isEmpty()) {
            b.trust(fetched);
            return;
        }
        TrustBundleSet files = TrustBundleSet.of(fixed);
        b.trust(new TrustBundleSource() {
            @Override
            public Optional<TrustBundle> bundleFor(TrustDomain domain) {
                Optional<TrustBundle> bundle = files.bundleFor(domain);
                return bundle.isPresent() ? bundle : fetched.bundleFor(domain);
            }

            @Override
            public void keyNotFound(TrustDomain domain, Optional<String> kid) {
                fetched.keyNotFound(domain, kid);
            }
        });
    }

    private static void closeQuietly(DemoService service) {
        try {
            service.close();
        } catch (Exception e) {
            System.err.println("wimse demo-service: error while stopping: " + e.getClass().getSimpleName());
        }
    }
}
