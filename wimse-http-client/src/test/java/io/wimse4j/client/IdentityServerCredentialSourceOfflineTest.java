package io.wimse4j.client;

import io.wimse4j.core.error.Reason;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.wimse4j.testkit.Fixture.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link IdentityServerCredentialSource} and {@link InitialAttestation} where no Identity Server is
 * needed: configuration, SEC-1, and KEY-3 when the server cannot be reached at all.
 */
class IdentityServerCredentialSourceOfflineTest {
    private static final String JOIN_TOKEN = "jt-secret-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void SEC_1_anHttpIdentityServerUriIsRefusedUnlessExplicitlyAllowed() {
        assertThatThrownBy(() -> IdentityServerCredentialSource.builder(URI.create("http://127.0.0.1:1"),
                InitialAttestation.joinToken(JOIN_TOKEN)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("https (SEC-1)");
    }

    @Test
    void theBuilderRejectsContradictorySettings() {
        URI uri = URI.create("https://127.0.0.1:1");
        InitialAttestation a = InitialAttestation.joinToken(JOIN_TOKEN);
        assertThatThrownBy(() -> IdentityServerCredentialSource.builder(uri, a).renewAt(1.0).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("renewAt");
        assertThatThrownBy(() -> IdentityServerCredentialSource.builder(uri, a)
                .backoff(Duration.ofSeconds(10), Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("backoff");
        assertThatThrownBy(() -> IdentityServerCredentialSource.builder(URI.create("https://127.0.0.1:1/?x=1"), a).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("query");
        assertThatThrownBy(() -> InitialAttestation.joinToken("  "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void KEY_3_noCredentialsWhenTheServerCannotBeReachedAndTheErrorSaysWhy() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        MutableClock clock = new MutableClock(Fixture.NOW);
        try (IdentityServerCredentialSource source = IdentityServerCredentialSource.builder(
                URI.create("https://127.0.0.1:" + closedPort), InitialAttestation.joinToken(JOIN_TOKEN))
                .clock(clock).checkInterval(Duration.ofHours(1)).requestTimeout(Duration.ofSeconds(5)).build()) {
            assertRejected(source::current, Reason.CREDENTIALS_EXPIRED);
            io.wimse4j.core.error.WimseException e = catchThrowableOfType(source::current, io.wimse4j.core.error.WimseException.class);
            assertThat(e.getCause()).isInstanceOf(java.io.IOException.class);
            assertThat(e.detail()).contains("no workload credentials from https://127.0.0.1:" + closedPort + "/v1/wit")
                    .contains("last attempt: ").doesNotContain("last attempt: null");
            assertThat(source.nextRenewal()).as("a retry is scheduled with backoff").isAfter(Fixture.NOW);
            assertThat(source.toString()).doesNotContain(JOIN_TOKEN);
        }
    }

    @Test
    void attestationsNeverShowTheirTokens() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "k8s-secret-token\n");
        InitialAttestation k8s = InitialAttestation.kubernetesTokenFile(file);
        assertThat(k8s.toJson().get("token").textValue()).isEqualTo("k8s-secret-token");
        assertThat(k8s.toString()).doesNotContain("k8s-secret-token").contains("kubernetes");
        Files.writeString(file, "rotated-token");
        assertThat(k8s.toJson().get("token").textValue()).as("re-read at each use").isEqualTo("rotated-token");
        k8s.succeeded();
        assertThat(k8s.usable()).as("a kubernetes token can be presented again").isTrue();

        InitialAttestation join = InitialAttestation.joinToken(JOIN_TOKEN);
        assertThat(join.toString()).doesNotContain(JOIN_TOKEN);
        assertThat(join.toJson().get("method").textValue()).isEqualTo("join_token");
        join.succeeded();
        assertThat(join.usable()).as("a join token is used up by its first success").isFalse();
        assertThatThrownBy(join::toJson).isInstanceOf(IllegalStateException.class).hasMessageContaining("already been used");
    }

    @Test
    void aJoinTokenFileIsReadOnceAtFirstUse() throws Exception {
        Path file = dir.resolve("join");
        Files.writeString(file, JOIN_TOKEN);
        InitialAttestation join = InitialAttestation.joinTokenFile(file);
        assertThat(join.toJson().get("token").textValue()).isEqualTo(JOIN_TOKEN);
        Files.delete(file);
        assertThat(join.toJson().get("token").textValue()).as("kept from the first read").isEqualTo(JOIN_TOKEN);
    }

    @Test
    void SEC_1_aGivenHttpClientThatFollowsRedirectsIsRefused() {
        java.net.http.HttpClient following = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.ALWAYS).build();
        assertThatThrownBy(() -> IdentityServerCredentialSource.builder(URI.create("https://127.0.0.1:1"),
                        InitialAttestation.joinToken(JOIN_TOKEN)).httpClient(following).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("redirect");
    }
}
