package io.wimse4j.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.key.TrustBundle;

import java.net.URI;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The state {@link HttpJwksTrustBundleSource} keeps per trust domain; {@code loaded} is read by request
 * threads, the rest only by the background thread.
 */
final class JwksDomain {
    /** A successfully fetched bundle with the JWKS it came from and when it was fetched. */
    record Loaded(TrustBundle bundle, ObjectNode json, Instant fetchedAt) {
    }

    final TrustDomain trustDomain;
    final URI uri;
    final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    final AtomicReference<Instant> lastHintFetch = new AtomicReference<>();
    volatile Loaded loaded;
    volatile Instant nextRefresh = Instant.MIN;
    volatile String etag;
    /** The highest {@code spiffe_sequence} accepted so far, -1 before any (ALG-2). */
    volatile long sequence = -1;

    JwksDomain(TrustDomain trustDomain, URI uri) {
        this.trustDomain = trustDomain;
        this.uri = uri;
    }
}
