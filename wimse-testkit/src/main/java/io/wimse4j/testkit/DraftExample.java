package io.wimse4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * The drafts' worked example, a known-answer test vector: the Identity Server's JWKS and private
 * key, the workload's private key, a WIT, a WPT, the HTTP request they sign and the instant at which
 * both are valid. <strong>A test helper, never for production code</strong> (the private keys in
 * it are public).
 *
 * <p>The values come from {@value #RESOURCE}, a class-path resource of this module: a verbatim copy
 * of {@code shared/vectors/draft-examples.json}, checked by an independent JOSE implementation.
 * Being on the class path, it is found the same from any module's working directory and from a
 * fresh clone, whether or not {@code shared/} sits next to the repository; this module's tests
 * check that the copy still equals {@code shared/vectors/draft-examples.json} when that file is
 * found in a parent folder of the working directory.
 */
public final class DraftExample {
    /** The class-path resource holding the example, relative to this class's package. */
    public static final String RESOURCE = "draft-examples.json";

    private static final JsonNode ROOT = load();

    private DraftExample() {
    }

    private static JsonNode load() {
        try (InputStream in = DraftExample.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("class-path resource io/wimse4j/testkit/" + RESOURCE + " not found");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The whole vector file, for values without a constant here ({@code /expected/wth}, ...).
     *
     * @return a copy of the parsed file (editing it changes nothing here)
     */
    public static JsonNode root() {
        return ROOT.deepCopy();
    }

    /** The example's trust domain, {@code example.com}. */
    public static final TrustDomain TRUST_DOMAIN = new TrustDomain("example.com");
    /** The WIT's subject ({@code /expected/wit_subject}), the workload identifier. */
    public static final String SUBJECT = ROOT.at("/expected/wit_subject").asText();
    /** The example WIT, compact serialization ({@code /wit}). */
    public static final String WIT = ROOT.get("wit").asText();
    /** The example WPT, compact serialization ({@code /wpt}). */
    public static final String WPT = ROOT.get("wpt").asText();
    /** The request's target URI, also the WPT's audience ({@code /request/target_uri}). */
    public static final String TARGET = ROOT.at("/request/target_uri").asText();
    /** The request's method ({@code /request/method}). */
    public static final String METHOD = ROOT.at("/request/method").asText();
    /** An instant at which WIT and WPT are both valid ({@code /expected/valid_at_epoch_seconds}). */
    public static final Instant VALID_AT = Instant.ofEpochSecond(ROOT.at("/expected/valid_at_epoch_seconds").asLong());
    /** The WPT's expiry ({@code /expected/wpt_exp}). */
    public static final Instant WPT_EXP = Instant.ofEpochSecond(ROOT.at("/expected/wpt_exp").asLong());
    /** The WIT's expiry ({@code /expected/wit_exp}). */
    public static final Instant WIT_EXP = Instant.ofEpochSecond(ROOT.at("/expected/wit_exp").asLong());

    /**
     * The Identity Server's JWKS ({@code /identity_server_jwks}).
     *
     * @return the JWKS as JSON text
     */
    public static String jwksJson() {
        return ROOT.get("identity_server_jwks").toString();
    }

    /**
     * The Identity Server's private JWK ({@code /identity_server_private_jwk}), without the note.
     *
     * @return the private JWK as JSON text
     */
    public static String issuerPrivateJwk() {
        return withoutNote(ROOT.get("identity_server_private_jwk"));
    }

    /**
     * The workload's private JWK ({@code /workload_private_jwk}), without the note.
     *
     * @return the private JWK as JSON text
     */
    public static String workloadPrivateJwk() {
        return withoutNote(ROOT.get("workload_private_jwk"));
    }

    private static String withoutNote(JsonNode jwk) {
        ObjectNode copy = ((ObjectNode) jwk).deepCopy();
        copy.remove("_note");
        return copy.toString();
    }

    /**
     * The trust bundles of the example: {@code example.com} with the example JWKS.
     *
     * @return a new trust bundle set
     */
    public static TrustBundleSet trust() {
        try {
            return TrustBundleSet.of(TrustBundle.fromJwks(TRUST_DOMAIN, jwksJson()));
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A clock fixed at {@code instant}, in UTC (for instance at {@link #VALID_AT}).
     *
     * @param instant the instant the clock reads
     * @return a fixed clock
     */
    public static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    /**
     * The example request: its method, target and all its headers ({@code /request/headers}).
     *
     * @return a new builder, for adding to the request before building it
     */
    public static HttpRequestFacts.Builder requestBuilder() {
        HttpRequestFacts.Builder b = HttpRequestFacts.builder(METHOD, URI.create(TARGET));
        for (Iterator<Map.Entry<String, JsonNode>> it = ROOT.at("/request/headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            b.header(e.getKey(), e.getValue().asText());
        }
        return b;
    }

    /**
     * The example request with one header replaced, for single-mutation tests.
     *
     * @param name  the header to replace (matched case-insensitively)
     * @param value its new value, or null to leave the header out
     * @return the request's facts
     */
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
