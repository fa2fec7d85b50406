package io.wimse4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.testkit.DraftExample;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.wimse4j.cli.Cli.NL;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code wimse verify} against the drafts' worked example and its mutations (V-1..V-10). */
class VerifyCommandTest {
    static final String AUD = "https://workload.example.com/path";
    static final String SUBJECT = "wimse://example.com/specific-workload";

    @TempDir
    Path dir;
    Path jwks;

    @BeforeEach
    void writeJwks() throws IOException {
        jwks = Files.writeString(dir.resolve("example.jwks"), DraftExample.jwksJson());
    }

    private Path requestFile(String text) throws IOException {
        return Files.write(dir.resolve("request-" + System.nanoTime() + ".http"), text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private Cli.Result verify(String request, long now, String audience, String... extra) throws IOException {
        String[] base = {"verify", "--trust", "example.com=" + jwks, "--audience", audience,
                "--request", requestFile(request).toString(), "--now", Long.toString(now)};
        return Cli.run(base, extra);
    }

    private static long validAt() {
        return DraftExample.VALID_AT.getEpochSecond();
    }

    private static void assertRejected(Cli.Result r, String reason) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).startsWith(reason + ": ");
        assertThat(r.out().strip()).doesNotContain(NL);
        assertThat(r.out() + r.err()).doesNotContain(DraftExample.WIT).doesNotContain(DraftExample.WPT);
    }

    @Test
    void draftExampleVerifies() throws IOException {
        Cli.Result r = verify(Cli.draftRequest(), validAt(), AUD);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(SUBJECT + NL);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void draftExampleVerifiesWithLfLineEndingsAndLowerCaseHeaderNames() throws IOException {
        String lf = Cli.draftRequest("\n", null, null)
                .replace("Workload-Identity-Token:", "workload-identity-token:")
                .replace("Workload-Proof-Token:", "WORKLOAD-PROOF-TOKEN:");
        Cli.Result r = verify(lf, validAt(), AUD);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).isEqualTo(SUBJECT + NL);
    }

    @Test
    void requestFromStandardInput() throws IOException {
        Cli.Result r = Cli.runWithStdin(Cli.draftRequest(), "verify", "--trust", "example.com=" + jwks,
                "--audience", AUD, "--request", "-", "--now", Long.toString(validAt()));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(SUBJECT + NL);
    }

    @Test
    void jsonOnSuccess() throws IOException {
        Cli.Result r = verify(Cli.draftRequest(), validAt(), AUD, "--json");
        assertThat(r.exit()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("valid").asBoolean()).isTrue();
        assertThat(j.get("workload").asText()).isEqualTo(SUBJECT);
        assertThat(j.get("trust_domain").asText()).isEqualTo("example.com");
        assertThat(j.get("transport").asText()).as("the drafts' example uses the seed header").isEqualTo("workload-proof-token");
        assertThat(j.size()).isEqualTo(4);
    }

    @Test
    void jsonOnFailure() throws IOException {
        Cli.Result r = verify(Cli.draftRequest(), DraftExample.WPT_EXP.getEpochSecond() + 61, AUD, "--json");
        assertThat(r.exit()).isEqualTo(1);
        JsonNode j = r.json();
        assertThat(j.get("valid").asBoolean()).isFalse();
        assertThat(j.get("reason").asText()).isEqualTo("EXPIRED");
        assertThat(j.get("code").asText()).isEqualTo("expired");
        assertThat(URI.create(j.get("type").asText())).isEqualTo(Reason.EXPIRED.type());
        assertThat(j.get("title").asText()).isEqualTo("Token expired");
        assertThat(j.get("detail").asText()).isNotBlank();
    }

    @Test
    void flippedSignatureByteIsBadSignature() throws IOException {
        String wpt = DraftExample.WPT;
        int i = wpt.lastIndexOf('.') + 5; // inside R of the Ed25519 signature: still canonical base64url
        char flipped = wpt.charAt(i) == 'A' ? 'B' : 'A';
        String tampered = wpt.substring(0, i) + flipped + wpt.substring(i + 1);
        assertRejected(verify(Cli.draftRequest("\r\n", "Workload-Proof-Token", tampered), validAt(), AUD), "BAD_SIGNATURE");
    }

    @Test
    void afterExpiryPlusLeewayIsExpired() throws IOException {
        assertRejected(verify(Cli.draftRequest(), DraftExample.WPT_EXP.getEpochSecond() + 61, AUD), "EXPIRED");
    }

    @Test
    void C2_5_expiryBoundaryIsExpPlusLeeway() throws IOException {
        long exp = DraftExample.WPT_EXP.getEpochSecond();
        Cli.Result inLeeway = verify(Cli.draftRequest(), exp + 59, AUD);
        assertThat(inLeeway.exit()).as(inLeeway.out()).isZero();
        // C2-5: the current time must be before exp + leeway, so exactly at it the proof is expired
        assertRejected(verify(Cli.draftRequest(), exp + 60, AUD), "EXPIRED");
    }

    @Test
    void shortMaxLifetimeIsLifetimeTooLong() throws IOException {
        // exp is 116 s after valid_at; the limit is --max-lifetime plus the 60 s leeway.
        assertRejected(verify(Cli.draftRequest(), validAt(), AUD, "--max-lifetime", "55"), "LIFETIME_TOO_LONG");
        Cli.Result ok = verify(Cli.draftRequest(), validAt(), AUD, "--max-lifetime", "56");
        assertThat(ok.exit()).as(ok.out()).isZero();
    }

    @Test
    void anotherAudienceIsAudienceMismatchEvenThoughTheTargetMatches() throws IOException {
        assertRejected(verify(Cli.draftRequest(), validAt(), "https://workload.example.com/other"), "AUDIENCE_MISMATCH");
    }

    @Test
    void hostHeaderDoesNotDecideTheAudience() throws IOException {
        Cli.Result r = verify(Cli.draftRequest("\r\n", "Host", "evil.example"), validAt(), AUD);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).isEqualTo(SUBJECT + NL);
    }

    @Test
    void repeatedProofHeaderIsRepeatedHeader() throws IOException {
        String req = Cli.draftRequest().replace("\r\n\r\n", "\r\nWorkload-Proof-Token: " + DraftExample.WPT + "\r\n\r\n");
        assertRejected(verify(req, validAt(), AUD), "REPEATED_HEADER");
    }

    @Test
    void changedAuthorizationIsAthMismatch() throws IOException {
        assertRejected(verify(Cli.draftRequest("\r\n", "Authorization", "Bearer another-token"), validAt(), AUD), "ATH_MISMATCH");
    }

    @Test
    void missingProofHeaderIsMissingWpt() throws IOException {
        String req = Cli.draftRequest().replaceAll("Workload-Proof-Token: [^\r]*\r\n", "");
        assertRejected(verify(req, validAt(), AUD), "MISSING_WPT");
    }

    @Test
    void trustForAnotherDomainOnlyIsUntrustedTrustDomain() throws IOException {
        Cli.Result r = Cli.run("verify", "--trust", "other.example=" + jwks, "--audience", AUD,
                "--request", requestFile(Cli.draftRequest()).toString(), "--now", Long.toString(validAt()));
        assertRejected(r, "UNTRUSTED_TRUST_DOMAIN");
    }

    @Test
    void usageErrorMissingOptionExits2() {
        Cli.Result r = Cli.run("verify", "--audience", AUD, "--request", "x.http");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("--trust").endsWith(NL);
        assertThat(r.err().strip()).doesNotContain(NL);
    }

    @Test
    void usageErrorUnknownFlagExits2() throws IOException {
        Cli.Result r = verify(Cli.draftRequest(), validAt(), AUD, "--bogus");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--bogus");
    }

    @Test
    void usageErrorBadTrustSyntaxExits2() throws IOException {
        Cli.Result r = Cli.run("verify", "--trust", jwks.toString(), "--audience", AUD,
                "--request", requestFile(Cli.draftRequest()).toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--trust must be <trust-domain>=<jwks-file>");
    }

    @Test
    void usageErrorInvalidTrustDomainExits2() throws IOException {
        Cli.Result r = Cli.run("verify", "--trust", "Example.COM=" + jwks, "--audience", AUD,
                "--request", requestFile(Cli.draftRequest()).toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("invalid trust domain");
    }

    @Test
    void usageErrorUnreadableRequestFileExits2() {
        Cli.Result r = Cli.run("verify", "--trust", "example.com=" + jwks, "--audience", AUD,
                "--request", dir.resolve("missing.http").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no such file");
    }

    @Test
    void usageErrorBadJwksExits2() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.jwks"), "{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}");
        Cli.Result r = Cli.run("verify", "--trust", "example.com=" + bad, "--audience", AUD,
                "--request", requestFile(Cli.draftRequest()).toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("bad JWKS").contains("INVALID_KEY");
    }

    @Test
    void usageErrorMalformedRequestExits2() throws IOException {
        Cli.Result r = verify("this is not http\r\n\r\n", validAt(), AUD);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("not a valid HTTP/1.1 request");
    }

    @Test
    void usageErrorMaxLifetimeOutOfRangeExits2() throws IOException {
        Cli.Result r = verify(Cli.draftRequest(), validAt(), AUD, "--max-lifetime", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--max-lifetime");
    }
}
