package io.wimse4j.cli;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.httpsig.HttpSignatureSigner;
import io.wimse4j.httpsig.RequestSignature;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static io.wimse4j.cli.HttpsigCommandTest.AUD;
import static io.wimse4j.cli.HttpsigCommandTest.JSON_BODY;
import static io.wimse4j.cli.HttpsigCommandTest.TD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files of the {@code wimse httpsig} tests: keys from {@code wimse keygen}, WITs from {@code wimse wit issue}
 * (issuer {@code issuer}, workloads by name), messages, and the CLI runs over them.
 */
final class HttpsigWorkspace {
    private final Path dir;

    HttpsigWorkspace(Path dir) {
        this.dir = dir;
    }

    /**
     * A workspace with the issuer's key ({@code issuer}), the client's Ed25519 workload ({@code ed25519}), with
     * {@code es256} also its ES256 one, and the server's EdDSA workload ({@code server}), each with its WIT.
     */
    static HttpsigWorkspace withIdentities(Path dir, boolean es256) {
        HttpsigWorkspace w = new HttpsigWorkspace(dir);
        w.keygen("ES256", "issuer");
        w.workload("Ed25519", "ed25519", HttpsigCommandTest.CLIENT);
        if (es256) {
            w.workload("ES256", "es256", HttpsigCommandTest.CLIENT);
        }
        w.workload("EdDSA", "server", HttpsigCommandTest.SERVER);
        return w;
    }

    String keygen(String alg, String name) {
        Cli.Result r = Cli.run("keygen", "--alg", alg, "--out", dir.resolve(name + ".jwk").toString(),
                "--public-out", dir.resolve(name + ".pub.jwk").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return dir.resolve(name + ".jwk").toString();
    }

    void workload(String alg, String name, String sub) {
        keygen(alg, name);
        Cli.Result wit = Cli.run("wit", "issue", "--issuer-key", dir.resolve("issuer.jwk").toString(), "--sub", sub,
                "--cnf", dir.resolve(name + ".pub.jwk").toString(), "--iss", "https://id.shop.example");
        assertThat(wit.exit()).as(wit.err()).isZero();
        try {
            Files.writeString(dir.resolve(name + ".wit"), wit.out());
            assertThat(Files.getPosixFilePermissions(dir.resolve(name + ".jwk"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    String wit(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".wit")).strip();
    }

    Path file(String name, String text) throws IOException {
        return Files.write(dir.resolve(System.nanoTime() + "-" + name), text.getBytes(StandardCharsets.UTF_8));
    }

    Cli.Result sign(String workload, Path in, String... extra) throws IOException {
        String[] base = {"httpsig", "sign", "--wit", "@" + dir.resolve(workload + ".wit"), "--key", dir.resolve(workload + ".jwk").toString(),
                "--in", in.toString()};
        return Cli.run(base, extra);
    }

    Cli.Result signResponse(Path request, Path response) {
        return Cli.run("httpsig", "sign", "--wit", "@" + dir.resolve("server.wit"), "--key", dir.resolve("server.jwk").toString(),
                "--in", response.toString(), "--request", request.toString(), "--trust", TD + "=" + dir.resolve("issuer.pub.jwk"),
                "--audience", AUD);
    }

    Cli.Result verify(Path in, String... extra) {
        String[] base = {"httpsig", "verify", "--trust", TD + "=" + dir.resolve("issuer.pub.jwk"), "--audience", AUD, "--in", in.toString()};
        return Cli.run(base, extra);
    }

    /** The client, signing with the library: a POST of {@link #JSON_BODY} asking for a signed response. */
    RequestSignature clientSigns() throws Exception {
        WorkloadKeyPair key = WorkloadKeyPair.fromPrivateJwk(Files.readString(dir.resolve("ed25519.jwk")), null);
        CredentialSource credentials = CredentialSource.fixed(WorkloadCredentials.of(wit("ed25519"), key.signer()));
        HttpRequestFacts request = HttpRequestFacts.builder("POST", URI.create(AUD)).header("Content-Type", "application/json").build();
        return HttpSignatureSigner.builder(credentials).requestSignedResponses(true).build()
                .signRequest(request, JSON_BODY.getBytes(StandardCharsets.UTF_8));
    }

    /** The signed request as raw HTTP/1.1 text, as the client sends it. */
    String text(RequestSignature sent, String body) {
        StringBuilder sb = new StringBuilder("POST " + sent.request().targetUri().getRawPath() + " HTTP/1.1\n");
        sb.append("Host: ").append(sent.request().targetUri().getRawAuthority()).append('\n');
        sent.request().headers().forEach((name, values) -> values.forEach(v -> sb.append(name).append(": ").append(v).append('\n')));
        return sb.append('\n').append(body).toString();
    }

    TrustBundleSet trust() throws IOException, WimseException {
        return TrustBundleSet.of(TrustBundle.fromJwks(new TrustDomain(TD), Files.readString(dir.resolve("issuer.pub.jwk"))));
    }
}
