package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.x509.CertificateRequests;
import io.wimse4j.x509.KeyType;
import io.wimse4j.x509.Pem;
import io.wimse4j.x509.PemException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code wimse wic request}: gets a Workload Identity Certificate from an Identity Server. Generates a
 * fresh key (KEY-4), sends a PKCS#10 request for the identifier (and DNS names) with a join token to
 * {@code POST /v1/wic} over HTTPS (SEC-1), checks that the answered chain certifies that key for that
 * identifier, then writes the chain and the key, the key owner-only (KEY-1). Never prints the key or
 * the join token. Wire contract: request {@code {"csr": "<PEM>", "attestation": {"method":
 * "join_token", "token": "..."}}}, answer {@code {"certificate_chain": "<PEM>", "expires_at": <epoch s>}};
 * a refusal is an RFC 9457 problem, reported as {@code HTTP <status> <code>: <detail>} (exit 1).
 */
@Command(name = "request", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Request a Workload Identity Certificate from an Identity Server (POST /v1/wic) with a join token:",
                "a fresh key and a CSR for --id; writes the chain (leaf first) to --out-cert and the key, owner-only, to --out-key."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:issued; prints the identifier, expiry and files", "1:refused by the server, or an unusable answer",
                "2:usage error, or the server unreachable"})
final class WicRequestCommand implements Callable<Integer> {
    /** Largest answer read from the server. */
    static final int MAX_ANSWER = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "<https-uri>", description = "The Identity Server's base URI, e.g. https://ids.example.org:8443.")
    private URI server;

    @Option(names = "--id", required = true, paramLabel = "<identifier>", description = "The workload identifier to certify, e.g. wimse://example.org/svc/a.")
    private String id;

    @Option(names = "--join-token", required = true, paramLabel = "<token|@file|->", description = "The one-time join token, @file, or '-' for standard input.")
    private String joinToken;

    @Option(names = "--out-cert", required = true, paramLabel = "<file>", description = "Where to write the certificate chain (PEM).")
    private Path outCert;

    @Option(names = "--out-key", required = true, paramLabel = "<file>", description = "Where to write the new private key (PKCS#8 PEM, rw-------).")
    private Path outKey;

    @Option(names = "--server-ca", paramLabel = "<pem>", description = "CA certificate(s) to trust for the server (default: the JDK's trust store).")
    private Path serverCa;

    @Option(names = "--dns", paramLabel = "<name>", description = "A DNS name to ask for as well (WIC-3); the server grants only registered ones. Repeatable.")
    private List<String> dnsNames = new ArrayList<>();

    @Option(names = "--key-type", paramLabel = "<type>", defaultValue = "EC_P256",
            description = "The key to generate: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    private KeyType keyType;

    @Option(names = "--force", description = "Overwrite existing --out-cert and --out-key files.")
    private boolean force;

    @Override
    public Integer call() {
        if (!"https".equalsIgnoreCase(server.getScheme()) || server.getHost() == null) {
            throw CliException.usage("--server must be an https URI (SEC-1: the join token travels only over TLS), got '" + server + "'");
        }
        WorkloadIdentifier identifier;
        try {
            identifier = WorkloadIdentifier.parse(id);
        } catch (WimseException e) {
            throw CliException.usage("--id: " + e.detail());
        }
        for (Path p : List.of(outCert, outKey)) {
            if (!force && Files.exists(p)) {
                throw CliException.usage(p + " exists; use --force to overwrite it");
            }
        }
        String token = Inputs.token(joinToken, ((WimseCli) spec.root().userObject()).stdin(), "join token");
        KeyPair keys = keyType.generate();
        String csr;
        try {
            csr = CertificateRequests.createPem(keys, identifier, dnsNames);
        } catch (WimseException e) {
            throw CliException.badInput("--id/--dns", e);
        }
        ObjectNode body = JSON.createObjectNode().put("csr", csr);
        body.putObject("attestation").put("method", "join_token").put("token", token);
        JsonNode answer = post(body);

        List<X509Certificate> chain;
        try {
            chain = Pem.certificates(answer.path("certificate_chain").asText(""));
        } catch (PemException e) {
            throw new CliException(WimseCli.REJECTED, "the server's certificate_chain is not a PEM chain: " + e.getMessage());
        }
        check(chain, keys, identifier);
        Instant expires = answer.path("expires_at").canConvertToLong()
                ? Instant.ofEpochSecond(answer.path("expires_at").asLong()) : chain.get(0).getNotAfter().toInstant();
        try {
            Pem.writePrivateKey(outKey, keys.getPrivate());
            Pem.writeCertificates(outCert, chain);
        } catch (IOException e) {
            throw CliException.usage("cannot write the certificate or key: " + e.getMessage());
        }
        spec.commandLine().getOut().println("issued " + identifier + " (serial " + chain.get(0).getSerialNumber().toString(16)
                + ", expires " + expires + "): chain in " + outCert + ", key (rw-------) in " + outKey);
        spec.commandLine().getOut().flush();
        return WimseCli.OK;
    }

    /** The chain must certify the key just generated, for the identifier asked (exactly one URI SAN, WIC-2). */
    private static void check(List<X509Certificate> chain, KeyPair keys, WorkloadIdentifier identifier) {
        if (chain.isEmpty()) {
            throw new CliException(WimseCli.REJECTED, "the server answered no certificate");
        }
        X509Certificate leaf = chain.get(0);
        if (!leaf.getPublicKey().equals(keys.getPublic())) {
            throw new CliException(WimseCli.REJECTED, "the server's certificate does not certify the key just generated");
        }
        List<String> uris = WicInspectCommand.sans(leaf, 6);
        if (!uris.equals(List.of(identifier.value()))) {
            throw new CliException(WimseCli.REJECTED, "the server's certificate names " + uris + ", not exactly " + identifier);
        }
    }

    private JsonNode post(ObjectNode body) {
        HttpClient.Builder cb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
        if (serverCa != null) {
            cb.sslContext(sslContext());
        }
        String base = server.toString().replaceAll("/+$", "");
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/wic")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            HttpResponse<byte[]> r = cb.build().send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.body().length > MAX_ANSWER) {
                throw new CliException(WimseCli.REJECTED, "the server's answer is larger than " + MAX_ANSWER + " bytes");
            }
            JsonNode answer;
            try {
                answer = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
            } catch (IOException e) {
                throw new CliException(WimseCli.REJECTED, "HTTP " + r.statusCode() + ": the answer is not JSON");
            }
            if (r.statusCode() / 100 != 2) {
                throw new CliException(WimseCli.REJECTED, "HTTP " + r.statusCode() + " " + answer.path("code").asText("")
                        + ": " + answer.path("detail").asText(""));
            }
            return answer;
        } catch (IOException e) {
            throw CliException.usage("cannot reach " + base + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.usage("interrupted");
        }
    }

    private SSLContext sslContext() {
        try {
            return io.wimse4j.client.TlsTrust.fromCaPem(serverCa);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw CliException.usage("cannot use --server-ca: " + e.getMessage());
        }
    }
}
