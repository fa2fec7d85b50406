package io.wimse4j.core.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.request.HttpRequestFacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Map;

/**
 * The drafts' worked example (a copy of shared/vectors/draft-examples.json, checked by an
 * independent JOSE implementation): JWKS, WIT, WPT, request and the instant at which both are valid.
 */
public final class DraftExample {
    private static final JsonNode ROOT = load();

    private DraftExample() {
    }

    private static JsonNode load() {
        try (InputStream in = DraftExample.class.getResourceAsStream("/draft-examples.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole vector file. */
    public static JsonNode root() {
        return ROOT;
    }

    public static final TrustDomain TRUST_DOMAIN = new TrustDomain("example.com");
    public static final String SUBJECT = ROOT.at("/expected/wit_subject").asText();
    public static final String WIT = ROOT.get("wit").asText();
    public static final String WPT = ROOT.get("wpt").asText();
    public static final String TARGET = ROOT.at("/request/target_uri").asText();
    public static final String METHOD = ROOT.at("/request/method").asText();
    public static final Instant VALID_AT = Instant.ofEpochSecond(ROOT.at("/expected/valid_at_epoch_seconds").asLong());
    public static final Instant WPT_EXP = Instant.ofEpochSecond(ROOT.at("/expected/wpt_exp").asLong());
    public static final Instant WIT_EXP = Instant.ofEpochSecond(ROOT.at("/expected/wit_exp").asLong());

    /** The Identity Server's JWKS as JSON. */
    public static String jwksJson() {
        return ROOT.get("identity_server_jwks").toString();
    }

    /** The Identity Server's private JWK as JSON (without the note). */
    public static String issuerPrivateJwk() {
        var copy = ((com.fasterxml.jackson.databind.node.ObjectNode) ROOT.get("identity_server_private_jwk")).deepCopy();
        copy.remove("_note");
        return copy.toString();
    }

    /** The workload's private JWK as JSON (without the note). */
    public static String workloadPrivateJwk() {
        var copy = ((com.fasterxml.jackson.databind.node.ObjectNode) ROOT.get("workload_private_jwk")).deepCopy();
        copy.remove("_note");
        return copy.toString();
    }

    /** The trust bundles: example.com with the example JWKS. */
    public static TrustBundleSet trust() {
        try {
            return TrustBundleSet.of(TrustBundle.fromJwks(TRUST_DOMAIN, jwksJson()));
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock fixed at {@code instant}. */
    public static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    /** The example request's facts builder with all its headers. */
    public static HttpRequestFacts.Builder requestBuilder() {
        HttpRequestFacts.Builder b = HttpRequestFacts.builder(METHOD, URI.create(TARGET));
        for (Iterator<Map.Entry<String, JsonNode>> it = ROOT.at("/request/headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            b.header(e.getKey(), e.getValue().asText());
        }
        return b;
    }

    /** The example request's facts with the header {@code name} replaced by {@code value}. */
    public static HttpRequestFacts requestWith(String name, String value) {
        HttpRequestFacts.Builder b = HttpRequestFacts.builder(METHOD, URI.create(TARGET));
        for (Iterator<Map.Entry<String, JsonNode>> it = ROOT.at("/request/headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equalsIgnoreCase(name)) {
                b.header(e.getKey(), e.getValue().asText());
            }
        }
        if (value != null) {
            b.header(name, value);
        }
        return b.build();
    }
}
