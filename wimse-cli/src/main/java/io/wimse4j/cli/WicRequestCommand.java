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
 * fresh key (KEY-4), sends a PKCS#10 request for the identifier (and DNS names) with a join token, or
 * with method {@code wic} presenting the current WIC as the TLS client certificate (a renewal over
 * mutual TLS; an expired one is refused before sending, KEY-3), to {@code POST /v1/wic} over HTTPS (SEC-1), checks that the answered chain certifies that key for that
 * identifier, then writes the chain and the key, the key owner-only (KEY-1). Never prints the key or
 * the join token. Wire contract: request {@code {"csr": "<PEM>", "attestation": {"method":
 * "join_token", "token": "..."}}}, answer {@code {"certificate_chain": "<PEM>", "expires_at": <epoch s>}};
 * a refusal is an RFC 9457 problem, reported as {@code HTTP <status> <code>: <detail>} (exit 1).
 */
@Command(name = "request", aliases = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Request a Workload Identity Certificate from an Identity Server (POST /v1/wic) with a join token,",
                "or renew one with the current WIC over mutual TLS (--renew-cert/--renew-key, method wic):",
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

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    private Attestation attestation;

    /** How the workload proves itself: a join token, or its current WIC over mutual TLS. */
    static final class Attestation {
        @Option(names = "--join-token", required = true, paramLabel = "<token|@file|->", description = "The one-time join token, @file, or '-' for standard input.")
        String joinToken;

        @CommandLine.ArgGroup(exclusive = false)
        Renewal renewal;
    }

    /** Renewal with the current WIC as the TLS client certificate (method wic). */
    static final class Renewal {
        @Option(names = "--renew-cert", required = true, paramLabel = "<pem>",
                description = "Renew with this current WIC chain as the TLS client certificate (method wic; with --renew-key).")
        Path cert;

        @Option(names = "--renew-key", required = true, paramLabel = "<pem>", description = "The current WIC's private key (PKCS#8 PEM).")
        Path key;
    }

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
        Current current = attestation.renewal == null ? null : current(attestation.renewal);
        KeyPair keys = keyType.generate();
        String csr;
        try {
            csr = CertificateRequests.createPem(keys, identifier, dnsNames);
        } catch (WimseException e) {
            throw CliException.badInput("--id/--dns", e);
        }
        ObjectNode body = JSON.createObjectNode().put("csr", csr);
        if (current == null) {
            String token = Inputs.token(attestation.joinToken, ((WimseCli) spec.root().userObject()).stdin(), "join token");
            body.putObject("attestation").put("method", "join_token").put("token", token);
        } else {
            body.putObject("attestation").put("method", "wic");
        }
        JsonNode answer = post(body, current);

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
            throw CliException.usage("cannot write the certificate or key: " + IoErrors.describe(e));
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

    /** The WIC being renewed: its key and chain, read from the files. */
    private record Current(java.security.PrivateKey key, List<X509Certificate> chain) {
    }

    private Current current(Renewal renewal) {
        List<X509Certificate> chain;
        java.security.PrivateKey key;
        try {
            chain = Pem.readCertificates(renewal.cert);
            key = Pem.readPrivateKey(renewal.key);
        } catch (IOException e) {
            throw CliException.usage("cannot read the current WIC: " + IoErrors.describe(e));
        }
        if (chain.isEmpty()) {
            throw CliException.usage(renewal.cert + " holds no certificate");
        }
        if (!belongTogether(key, chain.get(0))) {
            throw CliException.usage(renewal.key + " is not the key of the certificate in " + renewal.cert);
        }
        Instant notAfter = chain.get(0).getNotAfter().toInstant();
        if (!Instant.now().isBefore(notAfter)) {
            throw CliException.usage("the current WIC expired at " + notAfter + " (KEY-3); attest again with --join-token");
        }
        return new Current(key, chain);
    }

    /** Whether {@code key} signs what the leaf's public key verifies (a local check before any handshake). */
    private static boolean belongTogether(java.security.PrivateKey key, X509Certificate leaf) {
        String alg = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (alg == null || !key.getAlgorithm().equals(leaf.getPublicKey().getAlgorithm())
                && !(alg.equals("Ed25519") && leaf.getPublicKey().getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        try {
            byte[] probe = "wimse4j key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.security.Signature signer = java.security.Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(alg);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            return verifier.verify(sig);
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private JsonNode post(ObjectNode body, Current current) {
        HttpClient.Builder cb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
        if (serverCa != null || current != null) {
            cb.sslContext(sslContext(current));
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
            throw CliException.usage("cannot reach " + base + ": " + IoErrors.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.usage("interrupted");
        }
    }

    /** Trusts --server-ca (or the JDK's store) and presents the current WIC when renewing. */
    private SSLContext sslContext(Current current) {
        try {
            javax.net.ssl.TrustManager[] trust = null;
            if (serverCa != null) {
                java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (X509Certificate ca : Pem.readCertificates(serverCa)) {
                    store.setCertificateEntry("ca-" + i++, ca);
                }
                javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                trust = tmf.getTrustManagers();
            }
            javax.net.ssl.KeyManager[] keys = current == null ? null : new javax.net.ssl.KeyManager[] {
                io.wimse4j.x509.tls.WicKeyManager.of(current.key(), current.chain(), java.time.Clock.systemUTC())};
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw CliException.usage("cannot use --server-ca: " + IoErrors.describe(e));
        }
    }
}
