package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code wimse admin}: calls the Identity Server's admin API over HTTPS, trusting the server's CA
 * ({@code --ca}), with the bearer token read from {@code --admin-token-file} (never from a flag, so
 * it does not show in the process list). Prints the server's JSON answer; a refusal is one line on
 * standard error (problem code and detail) with exit code 1.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Administer an Identity Server: registrations, join tokens, signing keys.",
        subcommands = {AdminCommand.Register.class, AdminCommand.Deregister.class, AdminCommand.Registrations.class,
                AdminCommand.JoinToken.class, AdminCommand.Rotate.class, AdminCommand.Keys.class})
final class AdminCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw WimseCli.missingSubcommand(spec);
    }

    /** The options every admin subcommand shares, and the HTTP call. */
    static final class Connection {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Option(names = "--server", required = true, paramLabel = "<uri>", description = "The server's base URL, e.g. https://localhost:8443.")
        URI server;
        @Option(names = "--admin-token-file", required = true, paramLabel = "<file>", description = "File holding the admin token (<state dir>/admin-token).")
        Path adminTokenFile;
        @Option(names = "--ca", paramLabel = "<file>", description = "The server's CA certificate (PEM) to trust; required for https.")
        Path ca;

        JsonNode call(String method, String path, JsonNode body) {
            String token;
            try {
                token = Files.readString(adminTokenFile, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw CliException.usage("cannot read --admin-token-file: " + IoErrors.describe(e));
            }
            HttpClient.Builder cb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1);
            if ("https".equals(server.getScheme())) {
                if (ca == null) {
                    throw CliException.usage("--ca is required for an https server");
                }
                cb.sslContext(sslContext());
            }
            String base = server.toString().endsWith("/") ? server.toString().substring(0, server.toString().length() - 1)
                    : server.toString();
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token);
            try {
                if (body != null) {
                    rb.header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
                } else {
                    rb.method(method, HttpRequest.BodyPublishers.noBody());
                }
                HttpResponse<String> r = cb.build().send(rb.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode answer = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
                if (r.statusCode() / 100 != 2) {
                    throw new CliException(WimseCli.REJECTED, "HTTP " + r.statusCode() + " " + answer.path("code").asText("")
                            + ": " + answer.path("detail").asText(""));
                }
                return answer;
            } catch (IOException e) {
                throw CliException.usage("cannot reach " + server + ": " + IoErrors.describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CliException.usage("interrupted");
            }
        }

        private SSLContext sslContext() {
            try {
                return io.wimse4j.client.TlsTrust.fromCaPem(ca);
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw CliException.usage("cannot use --ca: " + IoErrors.describe(e));
            }
        }

        static ObjectNode object() {
            return JSON.createObjectNode();
        }

        static int print(CommandLine.Model.CommandSpec spec, JsonNode answer) {
            try {
                spec.commandLine().getOut().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
            } catch (IOException e) {
                throw CliException.usage(e.getMessage());
            }
            spec.commandLine().getOut().flush();
            return WimseCli.OK;
        }
    }

    /** {@code wimse admin register}. */
    @Command(name = "register", mixinStandardHelpOptions = true, description = "Register a workload identifier.")
    static final class Register implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Connection connection;
        @Option(names = "--id", required = true, paramLabel = "<id>", description = "The workload identifier, e.g. wimse://example.org/svc.")
        String id;
        @Option(names = "--attestation", required = true, split = ",", paramLabel = "<method>",
                description = "Allowed methods: join_token, wit, kubernetes (comma-separated).")
        List<String> attestation;
        @Option(names = "--wit-ttl", paramLabel = "<seconds>", description = "WIT lifetime in seconds (default: the server's).")
        Long witTtl;
        @Option(names = "--k8s-namespace", paramLabel = "<ns>", description = "Kubernetes namespace (kubernetes method).")
        String namespace;
        @Option(names = "--k8s-service-account", paramLabel = "<sa>", description = "Kubernetes service account (kubernetes method).")
        String serviceAccount;
        @Option(names = "--dns-name", paramLabel = "<name>",
                description = "A DNS name its WICs carry besides the identifier (WIC-3); a CSR may ask for these only. Repeatable.")
        List<String> dnsNames;

        @Override
        public Integer call() {
            ObjectNode body = Connection.object().put("id", id);
            ArrayNode methods = body.putArray("attestation");
            attestation.forEach(methods::add);
            if (witTtl != null) {
                body.put("wit_ttl_seconds", witTtl);
            }
            if (namespace != null || serviceAccount != null) {
                if (namespace == null || serviceAccount == null) {
                    throw CliException.usage("--k8s-namespace and --k8s-service-account go together");
                }
                body.putObject("kubernetes").put("namespace", namespace).put("service_account", serviceAccount);
            }
            if (dnsNames != null) {
                ArrayNode dns = body.putArray("dns_names");
                dnsNames.forEach(dns::add);
            }
            return Connection.print(spec, connection.call("POST", "/admin/v1/registrations", body));
        }
    }

    /** {@code wimse admin deregister}. */
    @Command(name = "deregister", mixinStandardHelpOptions = true, description = "Remove a registration.")
    static final class Deregister implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Connection connection;
        @Option(names = "--id", required = true, paramLabel = "<id>", description = "The workload identifier.")
        String id;

        @Override
        public Integer call() {
            connection.call("DELETE", "/admin/v1/registrations?id=" + URLEncoder.encode(id, StandardCharsets.UTF_8), null);
            spec.commandLine().getErr().println("removed " + id);
            spec.commandLine().getErr().flush();
            return WimseCli.OK;
        }
    }

    /** {@code wimse admin registrations}. */
    @Command(name = "registrations", mixinStandardHelpOptions = true, description = "List the registrations.")
    static final class Registrations implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Connection connection;

        @Override
        public Integer call() {
            return Connection.print(spec, connection.call("GET", "/admin/v1/registrations", null));
        }
    }

    /** {@code wimse admin join-token}. */
    @Command(name = "join-token", mixinStandardHelpOptions = true,
            description = "Mint a one-time join token for a registered identifier (printed once; hand it to the workload).")
    static final class JoinToken implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Connection connection;
        @Option(names = "--id", required = true, paramLabel = "<id>", description = "The registered workload identifier.")
        String id;
        @Option(names = "--ttl", paramLabel = "<seconds>", defaultValue = "600", description = "Lifetime in seconds (default ${DEFAULT-VALUE}).")
        long ttl;

        @Override
        public Integer call() {
            return Connection.print(spec, connection.call("POST", "/admin/v1/join-tokens",
                    Connection.object().put("id", id).put("ttl_seconds", ttl)));
        }
    }

    /** {@code wimse admin rotate}. */
    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Rotate the WIT signing key: the new key is published now and signs after the publish-ahead period.")
    static final class Rotate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Connection connection;

        @Override
        public Integer call() {
            return Connection.print(spec, connection.call("POST", "/admin/v1/keys/rotate", null));
        }
    }

    /** {@code wimse admin keys}. */
    @Command(name = "keys", mixinStandardHelpOptions = true, description = "List the signing keys and their states.")
    static final class Keys implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Connection connection;

        @Override
        public Integer call() {
            return Connection.print(spec, connection.call("GET", "/admin/v1/keys", null));
        }
    }
}
