package io.wimse4j.httpsig.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.id.TrustDomain;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.jose.JwsAlgorithm;
import io.wimse4j.core.key.TrustBundle;
import io.wimse4j.core.key.TrustBundleSet;
import io.wimse4j.core.key.WorkloadKeyPair;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wit.WitIssuer;
import io.wimse4j.core.wpt.CredentialSource;
import io.wimse4j.core.wpt.WorkloadCredentials;
import io.wimse4j.httpsig.HttpResponseFacts;
import io.wimse4j.httpsig.HttpSignatureVerifier;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exchanges of {@link NodeHttpSignatureInteropTest}: the trust domain's Identity Server key and
 * workloads (real WITs), requests and responses as JSON for {@code interop/node/httpsig.mjs}, node's
 * signing, and the verifier and trust of the Java side.
 */
final class NodeExchanges {
    static final String ORIGIN = NodeHttpSignatureInteropTest.ORIGIN;
    static final String PATH = NodeHttpSignatureInteropTest.PATH;
    static final String AUDIENCE = NodeHttpSignatureInteropTest.AUDIENCE;
    static final String JSON_BODY = NodeHttpSignatureInteropTest.JSON_BODY;

    private NodeExchanges() {
    }

    static final TrustDomain TD = new TrustDomain("example.org");
    static final WorkloadKeyPair ISSUER_KEY = WorkloadKeyPair.generate(JwsAlgorithm.ES256);
    static final Map<JwsAlgorithm, Workload> WORKLOADS = new EnumMap<>(JwsAlgorithm.class);

    /** A workload of the trust domain: its key and a WIT binding it, issued now. */
    record Workload(WorkloadKeyPair key, String wit) {
        CredentialSource credentials() throws WimseException {
            return CredentialSource.fixed(WorkloadCredentials.of(wit, key.signer()));
        }

        ObjectNode privateJwk() throws Exception {
            return (ObjectNode) NodeHttpsig.JSON.readTree(key.privateJwkJson());
        }

        @Override
        public String toString() {
            return "Workload[" + key.algorithm() + "]";
        }
    }

    /** A request on the wire, as either side sends it: method, target URI, header lines in order, body text. */
    record Req(String method, URI uri, Map<String, List<String>> headers, String body) {
        Req header(String name, String value) {
            return new Req(method, uri, replaced(headers, name, value), body);
        }

        Req withBody(String b) {
            return new Req(method, uri, headers, b);
        }

        Req withMethod(String m) {
            return new Req(m, uri, headers, body);
        }

        Req withUri(String u) {
            return new Req(method, URI.create(u), headers, body);
        }

        HttpRequestFacts facts() {
            HttpRequestFacts.Builder b = HttpRequestFacts.builder(method, uri);
            headers.forEach((name, values) -> values.forEach(v -> b.header(name, v)));
            return b.build();
        }

        byte[] bytes() {
            return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        }

        ObjectNode json() {
            ObjectNode o = NodeHttpsig.JSON.createObjectNode().put("method", method).put("url", uri.toString());
            o.set("headers", headersJson(headers));
            if (body != null) {
                o.put("body", body);
            }
            return o;
        }

        static Req of(HttpRequestFacts facts, String body) {
            return new Req(facts.method(), facts.targetUri(), new LinkedHashMap<>(facts.headers()), body);
        }

        @Override
        public String toString() {
            return "Req[" + method + " " + uri + ", headers=" + headers.keySet() + "]";
        }
    }

    /** A response on the wire: status, header lines, body text. */
    record Res(int status, Map<String, List<String>> headers, String body) {
        Res header(String name, String value) {
            return new Res(status, replaced(headers, name, value), body);
        }

        Res withBody(String b) {
            return new Res(status, headers, b);
        }

        Res withStatus(int s) {
            return new Res(s, headers, body);
        }

        HttpResponseFacts facts() {
            HttpResponseFacts.Builder b = HttpResponseFacts.builder(status);
            headers.forEach((name, values) -> values.forEach(v -> b.header(name, v)));
            return b.build();
        }

        byte[] bytes() {
            return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        }

        ObjectNode json() {
            ObjectNode o = NodeHttpsig.JSON.createObjectNode().put("status", status);
            o.set("headers", headersJson(headers));
            if (body != null) {
                o.put("body", body);
            }
            return o;
        }

        @Override
        public String toString() {
            return "Res[" + status + ", headers=" + headers.keySet() + "]";
        }
    }

    /** Node signs {@code request} with the workload of {@code alg} ({@code audience} null: node's default). */
    static Req nodeSigns(JwsAlgorithm alg, Req request, String audience, boolean signResponse) throws Exception {
        Workload w = workload(alg);
        ObjectNode in = NodeHttpsig.JSON.createObjectNode().put("wit", w.wit()).put("signResponse", signResponse);
        in.set("key", w.privateJwk());
        in.set("request", request.json());
        if (audience != null) {
            in.put("audience", audience);
        }
        NodeHttpsig.Result r = NodeHttpsig.run("sign-request", in);
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(r.json().path("signatureLength").asInt()).as("RFC 9421 3.3.7: the JWS form, r||s for ECDSA").isEqualTo(64);
        return new Req(request.method(), request.uri(), headersOf(r.json().path("headers")), request.body());
    }

    /** Node signs {@code response} to {@code request} with the workload of {@code alg}. */
    static Res nodeSignsResponse(JwsAlgorithm alg, Req request, Res response) throws Exception {
        Workload w = workload(alg);
        ObjectNode in = NodeHttpsig.JSON.createObjectNode().put("wit", w.wit());
        in.set("key", w.privateJwk());
        in.set("request", request.json());
        in.set("response", response.json());
        NodeHttpsig.Result r = NodeHttpsig.run("sign-response", in);
        assertThat(r.ok()).as("%s", r).isTrue();
        return new Res(response.status(), headersOf(r.json().path("headers")), response.body());
    }

    static HttpSignatureVerifier verifier() {
        return HttpSignatureVerifier.builder().trust(trust()).clock(Clock.systemUTC()).audience(AUDIENCE).acceptTargetUri(false).build();
    }

    static TrustBundleSet trust() {
        try {
            return TrustBundleSet.of(TrustBundle.fromJwks(TD, jwks().toString()));
        } catch (WimseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Identity Server's JWKS, for node's {@code jose} and for the Java trust bundle alike. */
    static ObjectNode jwks() {
        try {
            ObjectNode jwks = NodeHttpsig.JSON.createObjectNode();
            jwks.putArray("keys").add(NodeHttpsig.JSON.readTree(ISSUER_KEY.publicJwk().toJson()));
            return jwks;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized Workload workload(JwsAlgorithm alg) throws WimseException {
        Workload w = WORKLOADS.get(alg);
        if (w == null) {
            WorkloadKeyPair key = WorkloadKeyPair.generate(alg);
            WitIssuer issuer = WitIssuer.builder().signer(ISSUER_KEY.signer()).trustDomain(TD).issuer("https://issuer.example.org")
                    .clock(Clock.systemUTC()).build();
            w = new Workload(key, issuer.issue(WorkloadIdentifier.parse(subject(alg)), key.publicJwk()).token());
            WORKLOADS.put(alg, w);
        }
        return w;
    }

    static String subject(JwsAlgorithm alg) {
        return "wimse://example.org/svc/" + alg.name().toLowerCase(java.util.Locale.ROOT);
    }

    static Req get(String pathAndQuery) {
        return new Req("GET", URI.create(ORIGIN + pathAndQuery), headers(), null);
    }

    static Req post(String path) {
        return new Req("POST", URI.create(ORIGIN + path), headers("Content-Type", "application/json"), JSON_BODY);
    }

    static Res ok200() {
        return new Res(200, headers("Content-Type", "application/json"), "{\"ok\":true}");
    }

    static Map<String, List<String>> headers(String... nameValue) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            h.put(nameValue[i], List.of(nameValue[i + 1]));
        }
        return h;
    }

    /** {@code headers} with every line of {@code name} (any case) replaced by one line {@code value}, or that line added. */
    static Map<String, List<String>> replaced(Map<String, List<String>> headers, String name, String value) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        boolean done = false;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                if (!done) {
                    h.put(e.getKey(), List.of(value));
                    done = true;
                }
            } else {
                h.put(e.getKey(), e.getValue());
            }
        }
        if (!done) {
            h.put(name, List.of(value));
        }
        return h;
    }

    static Map<String, List<String>> without(Map<String, List<String>> headers, String... names) {
        Map<String, List<String>> h = new LinkedHashMap<>(headers);
        for (String n : names) {
            h.keySet().removeIf(k -> k.equalsIgnoreCase(n));
        }
        return h;
    }

    static ObjectNode headersJson(Map<String, List<String>> headers) {
        ObjectNode o = NodeHttpsig.JSON.createObjectNode();
        headers.forEach((name, values) -> {
            ArrayNode a = o.putArray(name);
            values.forEach(a::add);
        });
        return o;
    }

    static Map<String, List<String>> headersOf(JsonNode json) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> values = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> values.add(v.asText()));
            } else {
                values.add(e.getValue().asText());
            }
            h.put(e.getKey(), values);
        }
        return h;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
