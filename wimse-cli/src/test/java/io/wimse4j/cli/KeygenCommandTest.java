package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.key.WorkloadKeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wimse keygen}: owner-only private key files (KEY-1), no silent overwrite, public JWK with alg and kid. */
class KeygenCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"EdDSA", "Ed25519", "ES256", "ES384", "RS256", "PS256"})
    void writesOwnerOnlyPrivateKeyAndPrintsPublicJwk(String alg) throws IOException {
        Path out = dir.resolve("key.jwk");
        Cli.Result r = Cli.run("keygen", "--alg", alg, "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");

        JsonNode pub = r.json();
        assertThat(pub.get("alg").asText()).isEqualTo(alg);
        assertThat(pub.get("kid").asText()).isNotBlank();
        assertThat(pub.has("d")).isFalse();
        assertThat(pub.has("p")).isFalse();

        WorkloadKeyPair loaded = loadPrivate(out);
        assertThat(loaded.algorithm().name()).isEqualTo(alg);
        assertThat(loaded.keyId()).isEqualTo(pub.get("kid").asText());
        assertThat(r.out() + r.err()).doesNotContain(loaded.privateJwkJson());
    }

    @Test
    void refusesToOverwriteWithoutForce() throws IOException {
        Path out = dir.resolve("key.jwk");
        assertThat(Cli.run("keygen", "--alg", "ES256", "--out", out.toString()).exit()).isZero();
        String before = Files.readString(out);

        Cli.Result again = Cli.run("keygen", "--alg", "ES256", "--out", out.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("already exists").contains("--force");
        assertThat(again.out()).isEmpty();
        assertThat(Files.readString(out)).isEqualTo(before);
    }

    @Test
    void forceReplacesAndKeepsOwnerOnlyPermissions() throws IOException {
        Path out = dir.resolve("key.jwk");
        Files.writeString(out, "old");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r--r--"));
        Cli.Result r = Cli.run("keygen", "--alg", "EdDSA", "--out", out.toString(), "--force");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(out)).isNotEqualTo("old").contains("\"d\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }

    @Test
    void publicOutWritesThePublicKeyInsteadOfStdout() throws IOException {
        Path out = dir.resolve("key.jwk");
        Path pub = dir.resolve("key.pub.jwk");
        Cli.Result r = Cli.run("keygen", "--alg", "ES256", "--out", out.toString(), "--public-out", pub.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        String pubJson = Files.readString(pub);
        assertThat(pubJson).contains("\"alg\":\"ES256\"").contains("\"kid\"").doesNotContain("\"d\"");
        assertThat(pubJson.strip()).isEqualTo(loadPrivate(out).publicJwk().toJson());
    }

    @Test
    void refusesExistingPublicOutWithoutTouchingThePrivateKeyFile() throws IOException {
        Path out = dir.resolve("key.jwk");
        Path pub = Files.writeString(dir.resolve("key.pub.jwk"), "keep");
        Cli.Result r = Cli.run("keygen", "--alg", "ES256", "--out", out.toString(), "--public-out", pub.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(Files.exists(out)).isFalse();
        assertThat(Files.readString(pub)).isEqualTo("keep");
    }

    @Test
    void unknownAlgorithmIsUsageError() {
        Cli.Result r = Cli.run("keygen", "--alg", "HS256", "--out", dir.resolve("k").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("HS256");
        assertThat(Files.exists(dir.resolve("k"))).isFalse();
    }

    static WorkloadKeyPair loadPrivate(Path file) {
        try {
            return WorkloadKeyPair.fromPrivateJwk(Files.readString(file), null);
        } catch (Exception e) {
            throw new AssertionError("cannot load " + file, e);
        }
    }
}
