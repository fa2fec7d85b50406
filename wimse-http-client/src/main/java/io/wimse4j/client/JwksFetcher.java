package io.wimse4j.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.internal.StrictJson;
import io.wimse4j.core.key.TrustBundle;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * One (conditional) GET of a JWKS document or SPIFFE bundle: the body is size-limited before parsing,
 * parsed strictly ({@link StrictJson}, {@link TrustBundle#fromJwks}); anything but 200 or 304 is a failure.
 */
final class JwksFetcher {
    /** A fetched JWKS ({@code json} and {@code bundle} null when the server answered 304). */
    record Answer(ObjectNode json, TrustBundle bundle, Optional<String> etag, Optional<Duration> maxAge) {
        boolean notModified() {
            return json == null;
        }
    }

    private final HttpClient http;
    private final Duration timeout;
    private final int maxBodyBytes;

    JwksFetcher(HttpClient http, Duration timeout, int maxBodyBytes) {
        this.http = http;
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Refuses a SPIFFE bundle whose {@code spiffe_sequence} is below {@code highestAccepted} (ALG-2,
     * SPIFFE Federation: the sequence orders bundles): an older bundle served again, e.g. a rollback
     * that would bring back removed keys. Once a trust domain's bundle carried a sequence, one without is
     * refused too, and once it was a SPIFFE bundle, a plain JWKS is (a downgrade that would turn every key,
     * e.g. a JWT-SVID key, into a WIT key); {@code previous} is the last accepted bundle, or null.
     */
    static void refuseRollback(TrustBundle bundle, long highestAccepted, TrustBundle previous) throws IOException {
        if (bundle.spiffeSequence().isPresent() && bundle.spiffeSequence().getAsLong() < highestAccepted) {
            throw new IOException("the SPIFFE bundle's spiffe_sequence " + bundle.spiffeSequence().getAsLong()
                    + " is lower than the " + highestAccepted + " accepted before: refused as a rollback (ALG-2)");
        }
        if (highestAccepted >= 0 && bundle.spiffeSequence().isEmpty()) {
            throw new IOException("the document has no spiffe_sequence although this trust domain's bundles had one"
                    + " (the highest accepted: " + highestAccepted + "): refused as a possible rollback (ALG-2)");
        }
        if (previous != null && previous.isSpiffe() && !bundle.isSpiffe()) {
            throw new IOException("a plain JWKS where this trust domain published a SPIFFE bundle: refused, since every"
                    + " key of a plain JWKS would verify WITs (ALG-2)");
        }
    }

    /** Fetches {@code uri}; with an {@code etag}, a 304 answer means the document is unchanged. */
    Answer fetch(TrustDomain domain, URI uri, String etag) throws IOException, WimseException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("Accept", "application/jwk-set+json, application/json");
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        BoundedHttp.Response response = BoundedHttp.send(http, request.build(), maxBodyBytes);
        Optional<Duration> maxAge = CacheControl.maxAge(response.headers().allValues("Cache-Control"));
        if (response.status() == 304 && etag != null) {
            return new Answer(null, null, Optional.of(etag), maxAge);
        }
        if (response.status() != 200) {
            throw new IOException("HTTP status " + response.status());
        }
        ObjectNode json = StrictJson.parseObject(response.body(), "JWKS");
        TrustBundle bundle = TrustBundle.fromJwks(domain, response.body());
        return new Answer(json, bundle, response.header("ETag"), maxAge);
    }
}
