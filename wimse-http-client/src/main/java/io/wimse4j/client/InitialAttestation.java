package io.wimse4j.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.internal.StrictJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a workload first proves itself to the Identity Server ({@code attestation} of
 * {@code POST /v1/wit}, see {@code docs/identity-server-api.md}), before it has a WIT to renew with:
 * <ul>
 *   <li>{@link #joinToken(String)} / {@link #joinTokenFile(Path)}: a one-time join token, read once
 *       and forgotten after its first successful use (it cannot be used again);</li>
 *   <li>{@link #kubernetesTokenFile(Path)}: a projected service-account token, re-read at every use
 *       (the kubelet rotates it), usable again whenever the WIT could not be renewed.</li>
 * </ul>
 * Thread-safe; {@link #toString()} never shows a token.
 */
public final class InitialAttestation {
    /** Largest token file read, in bytes. */
    static final int MAX_TOKEN_BYTES = 16 * 1024;

    private final String method;
    private final Path file;
    private final boolean reusable;
    // guarded by this
    private String token;
    private boolean used;

    private InitialAttestation(String method, String token, Path file, boolean reusable) {
        this.method = method;
        this.token = token;
        this.file = file;
        this.reusable = reusable;
    }

    /** A one-time join token minted by the admin API. */
    public static InitialAttestation joinToken(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("the join token is empty");
        }
        return new InitialAttestation("join_token", token.strip(), null, false);
    }

    /** A one-time join token read (once, at first use) from {@code file}. */
    public static InitialAttestation joinTokenFile(Path file) {
        return new InitialAttestation("join_token", null, Objects.requireNonNull(file, "file"), false);
    }

    /** A Kubernetes projected service-account token, re-read from {@code file} at every use. */
    public static InitialAttestation kubernetesTokenFile(Path file) {
        return new InitialAttestation("kubernetes", null, Objects.requireNonNull(file, "file"), true);
    }

    /** The attestation method name on the wire. */
    public String method() {
        return method;
    }

    /** Whether it can still be presented: always for a Kubernetes token, until its first success for a join token. */
    public synchronized boolean usable() {
        return !used;
    }

    /** The {@code attestation} member of an issuance request. */
    synchronized ObjectNode toJson() throws IOException {
        if (used) {
            throw new IllegalStateException("the join token has already been used");
        }
        String value;
        if (reusable) {
            value = read(file);
        } else {
            if (token == null) {
                token = read(file);
            }
            value = token;
        }
        ObjectNode node = StrictJson.mapper().createObjectNode();
        node.put("method", method);
        node.put("token", value);
        return node;
    }

    /** Records a successful issuance; a join token is forgotten and never presented again. */
    synchronized void succeeded() {
        if (!reusable) {
            used = true;
            token = null;
        }
    }

    /** Records that the server called the join token invalid: it will never work. */
    synchronized void rejectedForGood() {
        if (!reusable) {
            used = true;
            token = null;
        }
    }

    private static String read(Path file) throws IOException {
        if (Files.size(file) > MAX_TOKEN_BYTES) {
            throw new IOException(file + " is larger than " + MAX_TOKEN_BYTES + " bytes");
        }
        String value = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        if (value.isEmpty()) {
            throw new IOException(file + " is empty");
        }
        return value;
    }

    @Override
    public String toString() {
        return "InitialAttestation[" + method + (file != null ? ", " + file : "") + (usable() ? "" : ", used") + "]";
    }
}
