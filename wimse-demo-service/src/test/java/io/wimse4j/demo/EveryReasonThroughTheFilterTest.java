package io.wimse4j.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.internal.Hashes;
import io.wimse4j.core.request.OthPolicy;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.core.wpt.ProofBindings;
import io.wimse4j.testkit.Fixture;
import io.wimse4j.testkit.RawJws;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.wimse4j.demo.Workload.assertProblem;
import static io.wimse4j.demo.Workload.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@link Reason} that a request can produce, produced by a real request over a socket
 * through the real {@code WimseFilter} of a running demo service, and answered with its status and
 * an RFC 9457 problem carrying its {@code code} (V-14). wimse-servlet's {@code WimseFilterSocketTest}
 * covers a subset (and core's {@code ProblemDetailsTest} writes every shape without a request); this
 * test covers all of them.
 * {@link #allProducibleReasonsAreCovered()} fails when a new reason is added without a case here.
 */
class EveryReasonThroughTheFilterTest {
    private static final String AUD = Workload.BASE + "/echo";
    private static final long NOW = Fixture.NOW.getEpochSecond();
    private static final String ISSUER = "https://issuer.example.org";

    /**
     * Reasons no incoming request can cause, with why: they are raised on the caller's side or
     * for keys handed to the library, never by {@code RequestVerifier.verify}.
     */
    static final Map<Reason, String> NOT_FROM_A_REQUEST = Map.of(
            Reason.INVALID_KEY, "a key given to the library; an unusable cnf.jwk in a request is INVALID_CNF_KEY",
            Reason.CREDENTIALS_EXPIRED, "the caller's own credentials, checked when signing (KEY-3)",
            Reason.INVALID_CERTIFICATE, "a peer's certificate in a TLS handshake (wimse-x509), never a header of a request",
            Reason.PEER_NOT_AUTHORIZED, "a TLS peer refused in the handshake (wimse-x509), never a header of a request");

    private static final Workload W = new Workload();
    private static DemoService service;
    private static DemoService redisless;
    /** Requires {@code kid} (C2-1). */
    private static DemoService kidRequired;
    /** Trusts two keys of the issuer's algorithm for the fixture's trust domain (C2-1). */
    private static DemoService twoKeys;
    /** Accepts only the seed transport, Workload-Proof-Token. */
    private static DemoService seedOnly;

    @BeforeAll
    static void start() throws Exception {
        service = W.service().insecureHttp().allowedIssuers(Set.of(ISSUER))
                .othPolicy(OthPolicy.builder().required("x-tenant").build()).build().start();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        // A real Redis client pointed at a port nobody listens on: the replay store is unreachable.
        redisless = W.service().insecureHttp().redisUrl("redis://127.0.0.1:" + closedPort).build().start();
        kidRequired = W.service().insecureHttp().requireKid(true).build().start();
        twoKeys = DemoService.builder().trust(Fixture.bundle(W.f.trustDomain, W.f.issuerKey,
                        io.wimse4j.core.key.WorkloadKeyPair.generate(W.f.issuerKey.algorithm())))
                .externalBaseUri(Workload.BASE).clock(W.f.clock).insecureHttp().build().start();
        seedOnly = W.service().insecureHttp().transports(Set.of(WptTransport.WORKLOAD_PROOF_TOKEN)).build().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        for (DemoService s : new DemoService[] {redisless, kidRequired, twoKeys, seedOnly}) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** Which running service a case is sent to. */
    private enum Target { MAIN, KID_REQUIRED, TWO_KEYS, SEED_ONLY }

    /** A request causing {@code reason}, sent to {@code target}, answered {@code status}. */
    private record Case(Reason reason, Function<Fixture, List<String[]>> headers, Target target, int status) {
        Case(Reason reason, Function<Fixture, List<String[]>> headers) {
            this(reason, headers, Target.MAIN, reason.httpStatus());
        }

        Case(Reason reason, Function<Fixture, List<String[]>> headers, Target target) {
            this(reason, headers, target, reason.httpStatus());
        }

        @Override
        public String toString() {
            return reason.name();
        }
    }

    private static String[] h(String name, String value) {
        return new String[] {name, value};
    }

    private static Consumer<ObjectNode> aud(Consumer<ObjectNode> more) {
        return c -> {
            c.put("aud", AUD);
            more.accept(c);
        };
    }

    /** The fixture's WIT and a proof for it, its claims edited (audience already set right). */
    private static Function<Fixture, List<String[]>> proof(Consumer<ObjectNode> header, Consumer<ObjectNode> claims, String[]... extra) {
        return f -> {
            List<String[]> l = new ArrayList<>();
            l.add(h("Workload-Identity-Token", f.wit));
            l.add(h("Workload-Proof-Token", f.craftWpt(f.wit, header, aud(claims))));
            l.addAll(List.of(extra));
            return l;
        };
    }

    private static Function<Fixture, List<String[]>> proofClaims(Consumer<ObjectNode> claims, String[]... extra) {
        return proof(Fixture.same(), claims, extra);
    }

    /** A WIT crafted from the fixture's defaults, and a valid proof for it. */
    private static Function<Fixture, List<String[]>> wit(Consumer<ObjectNode> header, Consumer<ObjectNode> claims) {
        return f -> {
            String wit = f.craftWit(header, claims);
            return List.of(h("Workload-Identity-Token", wit), h("Workload-Proof-Token", f.craftWpt(wit, Fixture.same(), aud(c -> { }))));
        };
    }

    private static String valid(Fixture f) {
        return f.wpt(AUD, ProofBindings.NONE);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(Reason.MALFORMED_TOKEN, f -> List.of(h("Workload-Identity-Token", f.wit), h("Workload-Proof-Token", "not-a-jwt"))),
                new Case(Reason.TOKEN_TOO_LARGE, f -> List.of(h("Workload-Identity-Token", f.wit), h("Workload-Proof-Token", "a".repeat(9000)))),
                new Case(Reason.BAD_ENCODING, f -> {
                    String t = valid(f);
                    return List.of(h("Workload-Identity-Token", f.wit), h("Workload-Proof-Token", t.replaceFirst("\\.", "=.")));
                }),
                new Case(Reason.INVALID_JSON, f -> {
                    String header = "{\"alg\":\"EdDSA\",\"typ\":\"wpt+jwt\",\"typ\":\"wpt+jwt\"}";
                    String claims = f.wptClaims(f.wit).put("aud", AUD).toString();
                    return List.of(h("Workload-Identity-Token", f.wit),
                            h("Workload-Proof-Token", RawJws.signRaw(f.workloadKey.signer(), header, claims)));
                }),
                new Case(Reason.WRONG_TYP, proof(hd -> hd.put("typ", "jwt"), Fixture.same())),
                new Case(Reason.UNSUPPORTED_ALG, proof(hd -> hd.put("alg", "HS256"), Fixture.same())),
                new Case(Reason.ALG_MISMATCH, proof(hd -> hd.put("alg", "ES256"), Fixture.same())),
                new Case(Reason.UNSUPPORTED_CRIT, wit(hd -> hd.putArray("crit").add("exp"), Fixture.same())),
                new Case(Reason.BAD_SIGNATURE, f -> List.of(h("Workload-Identity-Token", RawJws.flipSignatureBit(f.wit)),
                        h("Workload-Proof-Token", f.craftWpt(RawJws.flipSignatureBit(f.wit), Fixture.same(), aud(c -> { }))))),
                new Case(Reason.UNKNOWN_KEY, wit(hd -> hd.put("kid", "no-such-key"), Fixture.same())),
                new Case(Reason.KID_REQUIRED, wit(hd -> hd.remove("kid"), Fixture.same()), Target.KID_REQUIRED),
                new Case(Reason.AMBIGUOUS_KEY, wit(hd -> hd.remove("kid"), Fixture.same()), Target.TWO_KEYS),
                new Case(Reason.UNTRUSTED_TRUST_DOMAIN, wit(Fixture.same(), c -> c.put("sub", "wimse://other.example/svc/caller"))),
                new Case(Reason.INVALID_IDENTIFIER, wit(Fixture.same(), c -> c.put("sub", "https://example.org/svc/caller"))),
                new Case(Reason.UNTRUSTED_ISSUER, wit(Fixture.same(), c -> c.put("iss", "https://evil.example"))),
                new Case(Reason.MISSING_CLAIM, wit(Fixture.same(), c -> c.remove("cnf"))),
                new Case(Reason.INVALID_CLAIM, proofClaims(c -> c.put("aud", 42))),
                new Case(Reason.INVALID_CNF_KEY, wit(Fixture.same(), c -> ((ObjectNode) c.get("cnf").get("jwk")).remove("alg"))),
                new Case(Reason.EXPIRED, proofClaims(c -> c.put("iat", NOW - 3600).put("exp", NOW - 3000))),
                new Case(Reason.NOT_YET_VALID, proofClaims(c -> c.put("nbf", NOW + 600))),
                new Case(Reason.ISSUED_IN_FUTURE, proofClaims(c -> c.put("iat", NOW + 600).put("exp", NOW + 660))),
                new Case(Reason.LIFETIME_TOO_LONG, proofClaims(c -> c.put("exp", NOW + 3600))),
                new Case(Reason.AUDIENCE_MISMATCH, proofClaims(c -> c.put("aud", "https://other.example.org/echo"))),
                new Case(Reason.WTH_MISSING, proofClaims(c -> c.remove("wth"))),
                new Case(Reason.WTH_MISMATCH, proofClaims(c -> c.put("wth", Hashes.tokenHash("another WIT")))),
                new Case(Reason.ATH_MISSING, proofClaims(c -> { }, h("Authorization", "Bearer access-token-1"))),
                new Case(Reason.ATH_MISMATCH, proofClaims(c -> c.put("ath", Hashes.tokenHash("access-token-2")),
                        h("Authorization", "Bearer access-token-1"))),
                new Case(Reason.TTH_MISSING, proofClaims(c -> { }, h("Txn-Token", "txn-token-1"))),
                new Case(Reason.TTH_MISMATCH, proofClaims(c -> c.put("tth", Hashes.tokenHash("txn-token-1")))),
                new Case(Reason.OTH_MISSING, proofClaims(c -> { }, h("X-Tenant", "tenant-a"))),
                new Case(Reason.OTH_MISMATCH, proofClaims(c -> c.putObject("oth").put("x-tenant", Hashes.tokenHash("tenant-b")),
                        h("X-Tenant", "tenant-a"))),
                new Case(Reason.OTH_UNKNOWN_ENTRY, proofClaims(c -> c.putObject("oth").put("x-unknown", Hashes.tokenHash("v")),
                        h("X-Unknown", "v"))),
                // a seed proof without its WIT: answered by the seed rules (V-14)
                new Case(Reason.MISSING_WIT, f -> List.<String[]>of(h("Workload-Proof-Token", valid(f)))),
                // no proof in either transport: 401 with the wpt-02 challenge (P2-4)
                new Case(Reason.MISSING_WPT, f -> List.<String[]>of(h("Workload-Identity-Token", f.wit)), Target.MAIN, 401),
                new Case(Reason.TWO_PROOF_TRANSPORTS, f -> {
                    String wpt = valid(f);
                    return List.of(h("Workload-Identity-Token", f.wit), h("Workload-Proof-Token", wpt), h("Authorization", "WPT " + wpt));
                }),
                new Case(Reason.BEARER_WITH_WPT, f -> List.of(h("Workload-Identity-Token", f.wit),
                        h("Authorization", "WPT " + valid(f)), h("Authorization", "Bearer access-token-1"))),
                new Case(Reason.PROOF_TRANSPORT_NOT_ACCEPTED, f -> List.of(h("Workload-Identity-Token", f.wit),
                        h("Authorization", "WPT " + valid(f))), Target.SEED_ONLY),
                new Case(Reason.REPEATED_HEADER, f -> List.of(h("Workload-Identity-Token", f.wit),
                        h("Workload-Proof-Token", valid(f)), h("Workload-Proof-Token", valid(f)))),
                new Case(Reason.WIT_AS_BEARER, f -> List.of(h("Workload-Identity-Token", f.wit),
                        h("Workload-Proof-Token", valid(f)), h("Authorization", "Bearer " + f.wit))));
    }

    private static HttpRequest request(DemoService s, List<String[]> headers) {
        HttpRequest.Builder b = Workload.request(s, "/echo").GET();
        headers.forEach(hv -> b.header(hv[0], hv[1]));
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void V_14_reasonAnswersItsStatusAndProblemCode(Case c) throws Exception {
        List<String[]> headers = c.headers().apply(W.f);
        DemoService target = switch (c.target()) {
            case MAIN -> service;
            case KID_REQUIRED -> kidRequired;
            case TWO_KEYS -> twoKeys;
            case SEED_ONLY -> seedOnly;
        };
        HttpResponse<String> r = send(Workload.http(null), request(target, headers));
        JsonNode problem = assertProblem(r, c.reason(), c.status());
        assertThat(Reason.fromCode(problem.get("code").asText())).as("the code names the reason").hasValue(c.reason());
        for (String[] hv : headers) {
            for (String part : hv[1].split("[. ]")) {
                if (part.length() > 16) {
                    assertThat(r.body()).as("the problem echoes header %s", hv[0]).doesNotContain(part);
                }
            }
        }
    }

    /**
     * Each case whose proof travels in {@code Workload-Proof-Token}, sent instead as {@code Authorization: WPT}:
     * the same reason, answered 401 with {@code WWW-Authenticate: WPT} when it is a credential failure and
     * with its own status otherwise (P2-4). Cases that carry an {@code Authorization} header of their own
     * are left out: beside {@code Authorization: WPT} they are {@code BEARER_WITH_WPT} (P2-3).
     */
    @ParameterizedTest(name = "{0} under Authorization: WPT")
    @MethodSource("movableCases")
    void P2_4_eachFailureUnderAuthorizationWptAnswers401ForCredentialsOtherwiseItsStatus(Case c) throws Exception {
        List<String[]> current = c.headers().apply(W.f).stream()
                .map(hv -> hv[0].equals("Workload-Proof-Token") ? h("Authorization", "WPT " + hv[1]) : hv).toList();
        DemoService target = c.target() == Target.KID_REQUIRED ? kidRequired : c.target() == Target.TWO_KEYS ? twoKeys : service;
        HttpResponse<String> r = send(Workload.http(null), request(target, current));
        assertProblem(r, c.reason(), NOT_CREDENTIAL_FAILURES.contains(c.reason()) ? 400 : 401);
        for (String[] hv : current) {
            for (String part : hv[1].split("[. ]")) {
                if (part.length() > 16) {
                    assertThat(r.body()).as("the problem echoes header %s", hv[0]).doesNotContain(part);
                }
            }
        }
    }

    /** The reasons a malformed request gets: 400 in both transports ("other errors", P2-4). */
    static final Set<Reason> NOT_CREDENTIAL_FAILURES = Set.of(Reason.REPEATED_HEADER, Reason.TWO_PROOF_TRANSPORTS,
            Reason.BEARER_WITH_WPT);

    /** The cases whose proof is in {@code Workload-Proof-Token} and that carry no {@code Authorization} of their own. */
    static Stream<Case> movableCases() {
        List<Case> movable = cases().filter(c -> {
            List<String[]> seed = c.headers().apply(W.f);
            return c.target() != Target.SEED_ONLY && seed.stream().anyMatch(hv -> hv[0].equals("Workload-Proof-Token"))
                    && seed.stream().noneMatch(hv -> hv[0].equalsIgnoreCase("Authorization"));
        }).toList();
        assertThat(movable).as("most cases move to the wpt-02 transport").hasSizeGreaterThan(20);
        return movable.stream();
    }

    @Test
    void V_9_replayAnswers400Replay() throws Exception {
        HttpRequest once = request(service, List.of(h("Workload-Identity-Token", W.f.wit), h("Workload-Proof-Token", valid(W.f))));
        Workload.assertEcho(send(Workload.http(null), once), "GET", "/echo");
        assertProblem(send(Workload.http(null), once), Reason.REPLAY);
    }

    @Test
    void SEC_4_unreachableReplayStoreAnswers503() throws Exception {
        HttpResponse<String> r = send(Workload.http(null),
                request(redisless, List.of(h("Workload-Identity-Token", W.f.wit), h("Workload-Proof-Token", valid(W.f)))));
        assertProblem(r, Reason.REPLAY_CACHE_UNAVAILABLE);
        assertThat(r.statusCode()).isEqualTo(503);
    }

    @Test
    void allProducibleReasonsAreCovered() {
        Set<Reason> covered = EnumSet.noneOf(Reason.class);
        cases().forEach(c -> assertThat(covered.add(c.reason())).as("duplicate case %s", c.reason()).isTrue());
        covered.add(Reason.REPLAY);
        covered.add(Reason.REPLAY_CACHE_UNAVAILABLE);
        covered.addAll(EverySignatureReasonThroughTheFilterTest.covered()); // HTTP Message Signatures, each over a socket there
        covered.addAll(EverySignatureReasonThroughTheFilterTest.CLIENT_SIDE.keySet()); // raised by a client about a response
        Map<Reason, Boolean> uncovered = new EnumMap<>(Reason.class);
        for (Reason r : Reason.values()) {
            if (!covered.contains(r) && !NOT_FROM_A_REQUEST.containsKey(r)) {
                uncovered.put(r, true);
            }
        }
        assertThat(uncovered.keySet()).as("reasons with no request case").isEmpty();
        assertThat(covered).doesNotContainAnyElementsOf(NOT_FROM_A_REQUEST.keySet());
    }
}
