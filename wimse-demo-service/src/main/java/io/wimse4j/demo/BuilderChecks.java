package io.wimse4j.demo;

import io.wimse4j.redis.RedisReplayCache;
import io.wimse4j.servlet.WimseFilter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** What {@link DemoService.Builder#build()} refuses: every contradictory or missing setting, each with its sentence. */
final class BuilderChecks {
    private BuilderChecks() {
    }

    /** The problems of {@code b}'s settings, empty when it can build. */
    static List<String> errors(DemoService.Builder b) {
        List<String> errors = new ArrayList<>(b.problems);
        boolean tokens = !b.bundles.isEmpty() || b.trustSource != null;
        if (!tokens && b.filter && b.clientTrust == null) {
            errors.add("at least one trust bundle is required (trust domain -> JWKS), or mutual TLS");
        }
        if (b.clientTrust != null && b.tlsCert == null) {
            errors.add("mutual TLS needs the server's TLS certificate and key");
        }
        if (b.clientTrust != null && !tokens && b.redisUrl != null) {
            errors.add("a Redis replay cache applies to WPTs, and mutual TLS without JWKS trust verifies none");
        }
        if (b.responseCredentials != null && (!b.httpSignatures || !tokens || b.clientTrust != null)) {
            errors.add("response credentials sign answers to HTTP-signed requests: they need JWKS trust, HTTP signatures on"
                    + " and no mutual TLS");
        }
        if (!b.acceptWpt && (!b.httpSignatures || b.clientTrust != null)) {
            errors.add("without WPTs a service accepts HTTP Message Signatures only: keep httpSignatures on, without mutual TLS");
        }
        if (!b.bundles.isEmpty() && b.trustSource != null) {
            errors.add("give either fixed trust bundles or a trust bundle source, not both");
        }
        if (b.externalBaseUri == null) {
            errors.add("the external base URI is required");
        } else {
            try {
                WimseFilter.builder().externalBaseUri(b.externalBaseUri);
            } catch (IllegalArgumentException e) {
                errors.add("external base URI " + b.externalBaseUri + ": " + e.getMessage());
            }
        }
        if (b.tlsCert == null && !b.insecureHttp) {
            errors.add("TLS is required: give a certificate and key (PEM), or ask for insecure HTTP explicitly");
        }
        if (b.tlsCert != null && b.insecureHttp) {
            errors.add("give either a TLS certificate and key or insecure HTTP, not both");
        }
        if (b.port < 0 || b.port > 65_535) {
            errors.add("port must be 0..65535, not " + b.port);
        }
        try {
            InetAddress.getByName(b.bindAddress);
        } catch (UnknownHostException e) {
            errors.add("bind address '" + b.bindAddress + "' is unknown");
        }
        if (b.redisUrl != null) {
            try {
                RedisReplayCache.checkUri(b.redisUrl);
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        return errors;
    }
}
