package io.wimse4j.core.replay;

import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.internal.Base64Url;
import io.wimse4j.core.internal.Hashes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ReplayCache} remembers (V-9, SEC-4): one proof identifier ({@code jti}) and the
 * sender it is scoped to, so that a {@code jti} is unique per sending workload (WPT-6) and caches
 * can give each sender a share. Immutable; two keys are equal when their digests are.
 *
 * <p><b>Digest.</b> {@link #digest()} is SHA-256 over the UTF-8 bytes of
 * <ul>
 *   <li>{@code trustDomain NUL identifier NUL jti} for a workload ({@link #of(WorkloadIdentifier, String)};
 *       the encoding {@code ReplayKeys} used, so the digest of a workload's proof is unchanged), or</li>
 *   <li>{@code NUL scope NUL jti} for a non-workload scope ({@link #ofScope(String, String)}).</li>
 * </ul>
 * A trust domain is never empty and neither it nor an identifier contains NUL, so the first NUL
 * ends the trust domain and the second the identifier; a scope key starts with NUL, which no
 * workload key does. Keys of different senders therefore never share a digest, whatever the
 * {@code jti}. (Strings are encoded as the JDK does, so an unpaired surrogate in a {@code jti}
 * becomes {@code ?}: two such {@code jti}s of one sender share a digest, which can only refuse a
 * proof, never admit a replay.)
 *
 * <p><b>Share.</b> {@link #shareId()} names the sender the key counts against, base64url(SHA-256) of
 * {@code trustDomain NUL identifier} or {@code NUL scope}: the per-sender limit of
 * {@link InMemoryReplayCache} and of the Redis cache are kept per share id.
 *
 * <p>The {@code jti} is attacker-controlled: {@link #toString()} shows the sender and a prefix of
 * the digest, never the {@code jti}.
 */
public final class ReplayKey {
    /** Longest {@code jti}, in characters (the limit the WIT, WPT and proof parsers enforce). */
    public static final int MAX_JTI_LENGTH = 256;
    /** Longest non-workload scope name, in characters. */
    public static final int MAX_SCOPE_LENGTH = 64;
    /** Length of {@link #digest()}, in bytes. */
    public static final int DIGEST_LENGTH = 32;
    /** Length of the digest prefix {@link #compactId()} encodes, in bytes. */
    public static final int COMPACT_LENGTH = 12;

    private final WorkloadIdentifier sender;
    private final String scope;
    private final String jti;
    private final byte[] digest;
    private final String senderMaterial;
    /** The textual forms, computed on first use: the in-memory cache needs none of them. */
    private volatile String base64Url;
    private volatile String compactId;
    private volatile String shareId;

    private ReplayKey(WorkloadIdentifier sender, String scope, String jti, String senderMaterial) {
        this.sender = sender;
        this.scope = scope;
        this.jti = jti;
        this.digest = Hashes.sha256((senderMaterial + '\0' + jti).getBytes(StandardCharsets.UTF_8));
        this.senderMaterial = senderMaterial;
    }

    /**
     * The key of proof {@code jti} sent by the authenticated workload {@code sender} (what
     * {@link io.wimse4j.core.request.RequestVerifier} records).
     *
     * @throws IllegalArgumentException when {@code jti} is empty or longer than {@value #MAX_JTI_LENGTH} characters
     */
    public static ReplayKey of(WorkloadIdentifier sender, String jti) {
        Objects.requireNonNull(sender, "sender");
        checkJti(jti);
        return new ReplayKey(sender, null, jti, sender.trustDomain().name() + '\0' + sender.value());
    }

    /**
     * The key of {@code jti} in a scope that is not a workload, e.g. {@code "wimse-pop"} for the
     * proofs of possession the Identity Server receives before it knows the workload. A scope is
     * 1..{@value #MAX_SCOPE_LENGTH} characters of {@code [A-Za-z0-9._:-]}; its keys never collide
     * with a workload's (see the class comment), and all keys of one scope count against one share.
     *
     * @throws IllegalArgumentException when {@code scope} or {@code jti} is invalid
     */
    public static ReplayKey ofScope(String scope, String jti) {
        Objects.requireNonNull(scope, "scope");
        if (scope.isEmpty() || scope.length() > MAX_SCOPE_LENGTH) {
            throw new IllegalArgumentException("a replay scope must have 1 to " + MAX_SCOPE_LENGTH + " characters");
        }
        for (int i = 0; i < scope.length(); i++) {
            char c = scope.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                throw new IllegalArgumentException("a replay scope may only contain [A-Za-z0-9._:-]");
            }
        }
        checkJti(jti);
        return new ReplayKey(null, scope, jti, '\0' + scope);
    }

    private static void checkJti(String jti) {
        Objects.requireNonNull(jti, "jti");
        if (jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
            throw new IllegalArgumentException("a jti must have 1 to " + MAX_JTI_LENGTH + " characters");
        }
    }

    /** The workload that sent the proof; empty for a {@linkplain #ofScope(String, String) scope} key. */
    public Optional<WorkloadIdentifier> sender() {
        return Optional.ofNullable(sender);
    }

    /** The non-workload scope; empty for a workload's key. */
    public Optional<String> scope() {
        return Optional.ofNullable(scope);
    }

    /** The proof identifier, as received (attacker-controlled: never log it). */
    public String jti() {
        return jti;
    }

    /** SHA-256 of the encoding in the class comment: {@value #DIGEST_LENGTH} bytes (a copy). */
    public byte[] digest() {
        return digest.clone();
    }

    /** {@link #digest()} in base64url without padding: 43 characters. */
    public String base64Url() {
        String b = base64Url;
        if (b == null) {
            b = Base64Url.encode(digest);
            base64Url = b;
        }
        return b;
    }

    /**
     * The first {@value #COMPACT_LENGTH} bytes (96 bits) of {@link #digest()} in base64url: 16
     * characters, the fixed-size form both replay caches store (the in-memory cache the same 96 bits
     * as two numbers, the Redis cache this text). Two different keys share it with probability
     * 2<sup>-96</sup>, and sharing it can only make a first use look like a replay (a refusal), never
     * the reverse.
     */
    public String compactId() {
        String c = compactId;
        if (c == null) {
            c = Base64Url.encode(Arrays.copyOf(digest, COMPACT_LENGTH));
            compactId = c;
        }
        return c;
    }

    /** Bits 0..63 of the digest (big-endian): the first half of the in-memory cache's compact key. */
    long compactHigh() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (digest[i] & 0xff);
        }
        return v;
    }

    /** Bits 64..95 of the digest (big-endian): the rest of the compact key. */
    int compactLow() {
        return ((digest[8] & 0xff) << 24) | ((digest[9] & 0xff) << 16) | ((digest[10] & 0xff) << 8) | (digest[11] & 0xff);
    }

    /**
     * The share this key counts against: base64url(SHA-256) of the sender alone (43 characters),
     * equal for every key of one workload or one scope, and different for different senders.
     */
    public String shareId() {
        String id = shareId;
        if (id == null) {
            id = Base64Url.encode(Hashes.sha256(senderMaterial.getBytes(StandardCharsets.UTF_8)));
            shareId = id;
        }
        return id;
    }

    /**
     * The share as an unhashed value, equal exactly when {@link #shareId()} is: the sender's encoding
     * (trust domain and identifier, or the scope). For in-process maps, which need no fixed size.
     */
    String shareKey() {
        return senderMaterial;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplayKey other && Arrays.equals(digest, other.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        String who = sender != null ? "sender=" + sender.value() : "scope=" + scope;
        return "ReplayKey[" + who + ", digest=" + base64Url().substring(0, 8) + "...]";
    }
}
