package io.wimse4j.core;

import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.replay.ReplayKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ReplayKey} (V-9, WPT-6): a {@code jti} scoped by its sender, hashed to a fixed size, with
 * the same digest for a workload's proof as the keys before it, and never a collision between
 * senders or between a workload and a non-workload scope.
 */
class ReplayKeyTest {
    private static WorkloadIdentifier id(String value) {
        try {
            return WorkloadIdentifier.parse(value);
        } catch (WimseException e) {
            throw new AssertionError(e);
        }
    }

    private static final WorkloadIdentifier A = id("wimse://example.org/a");

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] sha256(String material) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void V_9_aWorkloadsDigestIsTheSha256OfTrustDomainIdentifierAndJtiNulSeparatedAsBefore() throws Exception {
        ReplayKey key = ReplayKey.of(A, "jti-1");
        byte[] expected = sha256("example.org\0wimse://example.org/a\0jti-1");
        assertThat(key.digest()).hasSize(ReplayKey.DIGEST_LENGTH).isEqualTo(expected);
        // known answer, so that a change of the encoding (and of every stored key) cannot pass unnoticed
        assertThat(key.base64Url()).isEqualTo("azfo610YOo5l-Dtz4IpHmtnZ43Bq5lIGFUI12_JLBi0").isEqualTo(b64(expected));
        assertThat(key.shareId()).isEqualTo("FYQBDYm_EvvLSYGGqDXefN1x4U7KYFZrN4MTxadqA6M")
                .isEqualTo(b64(sha256("example.org\0wimse://example.org/a")));
        assertThat(ReplayKey.ofScope("wimse-pop", "jti-1").base64Url()).isEqualTo("AeAJ-2oGDSzayeToxIE1gHDUk1sh6imzm-NH-Gwy--c")
                .isEqualTo(b64(sha256("\0wimse-pop\0jti-1")));
        key.digest()[0] ^= 1;
        assertThat(key.digest()).as("digest() hands out a copy").isEqualTo(expected);
        assertThat(key.sender()).contains(A);
        assertThat(key.scope()).isEmpty();
        assertThat(ReplayKey.ofScope("wimse-pop", "x").scope()).contains("wimse-pop");
        assertThat(ReplayKey.ofScope("wimse-pop", "x").sender()).isEmpty();
    }

    /** Two keys that must never be confused. */
    record Distinct(String name, ReplayKey a, ReplayKey b, boolean sameShare) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Distinct> distinct() {
        return Stream.of(
                new Distinct("V-9 the same jti from another workload", ReplayKey.of(A, "j"),
                        ReplayKey.of(id("wimse://example.org/b"), "j"), false),
                new Distinct("V-9 the same path in another trust domain", ReplayKey.of(A, "j"),
                        ReplayKey.of(id("wimse://example.net/a"), "j"), false),
                new Distinct("V-9 the same path under spiffe://", ReplayKey.of(A, "j"),
                        ReplayKey.of(id("spiffe://example.org/a"), "j"), false),
                new Distinct("WPT-6 another jti of the same workload", ReplayKey.of(A, "j1"), ReplayKey.of(A, "j2"), true),
                new Distinct("WPT-6 a NUL in the jti against a longer path", ReplayKey.of(A, "j\0k"),
                        ReplayKey.of(id("wimse://example.org/a/j"), "k"), false),
                new Distinct("V-9 a scope spelling a workload's encoding", ReplayKey.ofScope("example.org", "wimse://example.org/a\0j"),
                        ReplayKey.of(A, "j"), false),
                new Distinct("V-9 a scope named like the identifier", ReplayKey.ofScope("wimse:", "j"),
                        ReplayKey.of(A, "j"), false),
                new Distinct("V-9 two scopes", ReplayKey.ofScope("wimse-pop", "j"), ReplayKey.ofScope("wimse-pop2", "j"), false),
                new Distinct("V-9 another jti in one scope", ReplayKey.ofScope("wimse-pop", "j1"),
                        ReplayKey.ofScope("wimse-pop", "j2"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distinct")
    void keysOfDifferentProofsNeverShareADigest(Distinct row) {
        assertThat(row.a()).isNotEqualTo(row.b());
        assertThat(row.a().digest()).isNotEqualTo(row.b().digest());
        assertThat(row.a().base64Url()).isNotEqualTo(row.b().base64Url()).hasSize(43);
        if (row.sameShare()) {
            assertThat(row.a().shareId()).isEqualTo(row.b().shareId());
        } else {
            assertThat(row.a().shareId()).isNotEqualTo(row.b().shareId());
        }
    }

    @Test
    void V_9_equalSenderAndJtiMakeEqualKeys() {
        assertThat(ReplayKey.of(A, "j")).isEqualTo(ReplayKey.of(id("wimse://example.org/a"), "j"))
                .hasSameHashCodeAs(ReplayKey.of(A, "j"));
        assertThat(ReplayKey.ofScope("s", "j")).isEqualTo(ReplayKey.ofScope("s", "j"));
    }

    /** An argument a key must refuse. */
    record Invalid(String name, Supplier<ReplayKey> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Invalid> invalid() {
        return Stream.of(
                new Invalid("V-9 an empty jti", () -> ReplayKey.of(A, "")),
                new Invalid("V-9 a jti of 257 characters", () -> ReplayKey.of(A, "j".repeat(257))),
                new Invalid("V-9 an empty jti in a scope", () -> ReplayKey.ofScope("s", "")),
                new Invalid("V-9 an empty scope", () -> ReplayKey.ofScope("", "j")),
                new Invalid("V-9 a scope of 65 characters", () -> ReplayKey.ofScope("s".repeat(65), "j")),
                new Invalid("V-9 a scope with a NUL", () -> ReplayKey.ofScope("a\0b", "j")),
                new Invalid("V-9 a scope with a brace", () -> ReplayKey.ofScope("a{b}", "j")),
                new Invalid("V-9 a scope with a slash", () -> ReplayKey.ofScope("wimse://example.org/a", "j")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidArgumentsAreRefused(Invalid row) {
        assertThatThrownBy(row.make()::get).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void V_9_limitsAreInclusive() {
        assertThat(ReplayKey.of(A, "j".repeat(ReplayKey.MAX_JTI_LENGTH)).base64Url()).hasSize(43);
        assertThat(ReplayKey.ofScope("s".repeat(ReplayKey.MAX_SCOPE_LENGTH), "j").base64Url()).hasSize(43);
        assertThat(ReplayKey.ofScope("A-z_0.9:x", "j").scope()).contains("A-z_0.9:x");
        assertThatThrownBy(() -> ReplayKey.of(null, "j")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ReplayKey.of(A, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringNeverShowsTheJti() {
        String jti = "attacker-chosen-" + "x".repeat(200);
        for (ReplayKey key : List.of(ReplayKey.of(A, jti), ReplayKey.ofScope("wimse-pop", jti))) {
            assertThat(key.toString()).doesNotContain("attacker-chosen").doesNotContain(key.base64Url())
                    .contains(key.base64Url().substring(0, 8)).hasSizeLessThan(80);
        }
        assertThat(ReplayKey.of(A, jti).toString()).contains(A.value());
        assertThat(ReplayKey.ofScope("wimse-pop", jti).toString()).contains("scope=wimse-pop");
    }
}
