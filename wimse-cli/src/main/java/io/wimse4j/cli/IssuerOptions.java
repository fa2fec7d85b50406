package io.wimse4j.cli;

import io.wimse4j.client.IdentityServerCredentialSource;
import io.wimse4j.client.IdentityServerException;
import io.wimse4j.client.InitialAttestation;
import io.wimse4j.client.TlsTrust;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * The options {@code wimse agent} and {@code wimse wit fetch} share: the Identity Server, its TLS trust,
 * and the first attestation (a one-time join token, or a Kubernetes service-account token file re-read at
 * every use). Tokens are never printed.
 */
final class IssuerOptions {
    @Option(names = "--server", required = true, paramLabel = "<https-uri>",
            description = "The Identity Server's base URI, e.g. https://ids.example.org:8443.")
    URI server;

    @Option(names = "--server-ca", paramLabel = "<pem>", description = "CA certificate(s) to trust for the server (default: the JDK's trust store).")
    Path serverCa;

    @Option(names = "--insecure-http", description = "Accept an http:// --server. For tests and demos only: tokens travel in clear text.")
    boolean insecureHttp;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1", heading = "%nFirst attestation (one of):%n")
    Attestation attestation;

    /** How the workload first proves itself. */
    static final class Attestation {
        @Option(names = "--join-token", required = true, paramLabel = "<token|@file|->",
                description = "The one-time join token, @file, or '-' for standard input (prefer @file: a flag shows in the process list).")
        String joinToken;

        @Option(names = "--k8s-token-file", required = true, paramLabel = "<file>",
                description = "A Kubernetes projected service-account token file, re-read at every attestation (method kubernetes).")
        Path k8sTokenFile;
    }

    /** Checks the server URI: https, or http with --insecure-http (SEC-1). */
    void check() {
        String scheme = server.getScheme();
        boolean http = "http".equalsIgnoreCase(scheme);
        if (server.getHost() == null || !("https".equalsIgnoreCase(scheme) || http)) {
            throw CliException.usage("--server must be an https URI, got '" + server + "'");
        }
        if (http && !insecureHttp) {
            throw CliException.usage("--server is http:// (SEC-1: the join token would travel in clear text); use https or --insecure-http");
        }
        if (http) {
            Loopback.requireLiteral(server.getHost().replaceAll("^\\[|\\]$", ""), "--insecure-http");
        }
        if (server.getRawUserInfo() != null) {
            throw CliException.usage("--server must not carry credentials (user info): the join token is the attestation");
        }
        if (server.getRawQuery() != null || server.getRawFragment() != null) {
            throw CliException.usage("--server must have no query or fragment, got '" + server + "'");
        }
    }

    /** The initial attestation; a join token given as {@code @file} or {@code -} is read now. */
    InitialAttestation initialAttestation(InputStream stdin) {
        if (attestation.k8sTokenFile != null) {
            return InitialAttestation.kubernetesTokenFile(attestation.k8sTokenFile);
        }
        return InitialAttestation.joinToken(Inputs.token(attestation.joinToken, stdin, "join token"));
    }

    /** The TLS trust of --server-ca, or null for the JDK's. */
    SSLContext sslContext() {
        if (serverCa == null) {
            return null;
        }
        try {
            return TlsTrust.fromCaPem(serverCa);
        } catch (IOException | GeneralSecurityException e) {
            throw CliException.usage("cannot use --server-ca: " + IoErrors.describe(e));
        }
    }

    /** A WIT source builder for these options (not yet built). */
    IdentityServerCredentialSource.Builder witSource(InitialAttestation initial) {
        IdentityServerCredentialSource.Builder b = IdentityServerCredentialSource.builder(server, initial).allowInsecureHttp(insecureHttp);
        SSLContext tls = sslContext();
        if (tls != null) {
            b.sslContext(tls);
        }
        return b;
    }

    /**
     * The failure that left a source without credentials, as the CLI reports it: a refusal by the server
     * (or an unusable answer) exit 1 with the server's problem, the server unreachable exit 2.
     */
    static CliException failure(String what, Throwable cause) {
        if (cause instanceof IdentityServerException e) {
            return new CliException(WimseCli.REJECTED, what + " refused: " + e.getMessage());
        }
        if (cause instanceof IOException e) {
            return CliException.usage("cannot reach the Identity Server: " + IoErrors.describe(e));
        }
        String detail = cause == null ? "no answer in time" : IoErrors.describe(cause);
        return new CliException(WimseCli.REJECTED, what + " failed: " + detail);
    }
}
