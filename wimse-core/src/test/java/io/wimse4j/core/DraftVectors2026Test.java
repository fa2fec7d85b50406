package io.wimse4j.core;

import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.request.OthPolicy;
import io.wimse4j.core.request.RequestVerifier;
import io.wimse4j.core.request.VerifiedCaller;
import io.wimse4j.core.wpt.WptTransport;
import io.wimse4j.testkit.DraftExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Known answers from the working group's repository ({@code shared/vectors/drafts-2026-08/}, copied to
 * the test class path): the seed-era request and the {@code oth} request verify at their instant, and
 * each single mutation is refused with its {@link Reason}. One row per mutation, named after its rule.
 */
class DraftVectors2026Test {
    private static final String DIR = "/vectors/drafts-2026-08/";
    private static final String OTHER_TOKEN = "x-custom-token";
    /** Both examples' tokens are valid here: before the WPTs' exp (1745510016), within the WITs' lifetime. */
    private static final Instant VALID_AT = DraftExample.VALID_AT;

    /** A raw request of the vectors as (name, value) header pairs in order, and its target URI. */
    record Raw(List<Map.Entry<String, String>> headers) {
        String value(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElseThrow();
        }

        Raw without(String name) {
            return new Raw(headers.stream().filter(h -> !h.getKey().equalsIgnoreCase(name)).toList());
        }

        Raw with(String name, String value) {
            List<Map.Entry<String, String>> h = new ArrayList<>(without(name).headers);
            h.add(Map.entry(name, value));
            return new Raw(h);
        }

        HttpRequestFacts facts() {
            HttpRequestFacts.Builder b = HttpRequestFacts.builder("POST", URI.create("https://workload.example.com/path"));
            headers.forEach(h -> b.header(h.getKey(), h.getValue()));
            return b.build();
        }
    }

    static String resource(String name) {
        try (InputStream in = DraftVectors2026Test.class.getResourceAsStream(DIR + name)) {
            assertThat(in).as("class-path resource %s%s", DIR, name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Raw request(String name) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String[] lines = resource(name).split("\r?\n", -1);
        assertThat(lines[0]).isEqualTo("POST /path HTTP/1.1");
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            int colon = lines[i].indexOf(':');
            headers.add(Map.entry(lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()));
        }
        return new Raw(headers);
    }

    static RequestVerifier verifier(Instant at, boolean understandOth) {
        RequestVerifier.Builder b = RequestVerifier.builder().trust(DraftExample.trust()).clock(DraftExample.clockAt(at));
        if (understandOth) {
            b.othPolicy(OthPolicy.builder().required(OTHER_TOKEN).build());
        }
        return b.build();
    }

    @Test
    void theCopiesEqualTheSharedVectorsWhenPresent() throws IOException {
        Path shared = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("vectors").resolve("drafts-2026-08");
            if (Files.isDirectory(candidate)) {
                shared = candidate;
                break;
            }
        }
        int compared = 0;
        for (String name : List.of("wit.txt", "wpt.txt", "wpt-request.txt", "wpt-oth.txt", "wpt-oth-request.txt")) {
            if (shared != null) {
                assertThat(resource(name)).as(name).isEqualTo(Files.readString(shared.resolve(name)));
                compared++;
            }
        }
        assertThat(compared).isIn(0, 5);
        // the seed request carries the same tokens as wit.txt / wpt.txt
        Raw seed = request("wpt-request.txt");
        assertThat(seed.value("Workload-Identity-Token")).isEqualTo(resource("wit.txt").strip());
        assertThat(seed.value("Workload-Proof-Token")).isEqualTo(resource("wpt.txt").strip());
        assertThat(request("wpt-oth-request.txt").value("Workload-Proof-Token")).isEqualTo(resource("wpt-oth.txt").strip());
    }

    @Test
    void V_12_theOthExampleVerifiesAtItsInstantBindingItsOtherToken() throws WimseException {
        VerifiedCaller caller = verifier(VALID_AT, true).verify(request("wpt-oth-request.txt").facts());
        assertThat(caller.workload().value()).isEqualTo("wimse://example.com/specific-workload");
        assertThat(caller.boundHeaders()).containsExactly(OTHER_TOKEN);
        assertThat(caller.accessTokenBound()).isTrue();
        assertThat(caller.transport()).isEqualTo(WptTransport.WORKLOAD_PROOF_TOKEN);
        assertThat(caller.proof().jwtId()).isEqualTo("Cb1fCa3cFESC_x-24CLTL");
    }

    @Test
    void V_1_theSeedExampleRequestVerifiesAtItsInstant() throws WimseException {
        VerifiedCaller caller = verifier(VALID_AT, false).verify(request("wpt-request.txt").facts());
        assertThat(caller.workload().value()).isEqualTo("wimse://example.com/specific-workload");
        assertThat(caller.accessTokenBound()).isTrue();
        assertThat(caller.transport()).isEqualTo(WptTransport.WORKLOAD_PROOF_TOKEN);
    }

    /** A single mutation of an example request and the reason it gets. */
    record Mutation(String name, String file, boolean understandOth, Instant at, UnaryOperator<Raw> change, Reason reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String flipLast(String token) {
        char c = token.charAt(token.length() - 2);
        return token.substring(0, token.length() - 2) + (c == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
    }

    static Stream<Mutation> mutations() {
        String oth = "wpt-oth-request.txt";
        String seed = "wpt-request.txt";
        Instant late = DraftExample.WPT_EXP.plusSeconds(61);
        return Stream.of(
                new Mutation("V-13 the oth example at a receiver that does not understand x-custom-token → OTH_UNKNOWN_ENTRY",
                        oth, false, VALID_AT, r -> r, Reason.OTH_UNKNOWN_ENTRY),
                new Mutation("V-12 another x-custom-token value → OTH_MISMATCH", oth, true, VALID_AT,
                        r -> r.with("X-Custom-Token", "some-other-token"), Reason.OTH_MISMATCH),
                new Mutation("V-12 the x-custom-token header removed → OTH_MISMATCH", oth, true, VALID_AT,
                        r -> r.without("X-Custom-Token"), Reason.OTH_MISMATCH),
                new Mutation("V-12 the seed example carrying an x-custom-token its proof does not bind → OTH_MISSING", seed, true, VALID_AT,
                        r -> r.with("X-Custom-Token", "some-example-other-token"), Reason.OTH_MISSING),
                new Mutation("V-4 the oth WPT's signature changed → BAD_SIGNATURE", oth, true, VALID_AT,
                        r -> r.with("Workload-Proof-Token", flipLast(r.value("Workload-Proof-Token"))), Reason.BAD_SIGNATURE),
                new Mutation("V-4 the oth WIT's signature changed → BAD_SIGNATURE", oth, true, VALID_AT,
                        r -> r.with("Workload-Identity-Token", flipLast(r.value("Workload-Identity-Token"))), Reason.BAD_SIGNATURE),
                new Mutation("V-8 the oth WPT beside the seed request's WIT (same claims, other signature) → WTH_MISMATCH", oth, true,
                        VALID_AT, r -> r.with("Workload-Identity-Token", request(seed).value("Workload-Identity-Token")), Reason.WTH_MISMATCH),
                new Mutation("V-10 the oth example's bearer token changed → ATH_MISMATCH", oth, true, VALID_AT,
                        r -> r.with("Authorization", "Bearer 16_mAd0GiwaZokU26_0902101"), Reason.ATH_MISMATCH),
                new Mutation("V-10 the seed example without its bearer token → ATH_MISMATCH", seed, false, VALID_AT,
                        r -> r.without("Authorization"), Reason.ATH_MISMATCH),
                new Mutation("V-7 the oth example after its exp and the 60 s leeway → EXPIRED", oth, true, late, r -> r, Reason.EXPIRED),
                new Mutation("V-7 the seed example after its exp and the 60 s leeway → EXPIRED", seed, false, late, r -> r, Reason.EXPIRED),
                new Mutation("V-1 the seed example's WPT header repeated → REPEATED_HEADER", seed, false, VALID_AT, r -> {
                    List<Map.Entry<String, String>> h = new ArrayList<>(r.headers());
                    h.add(Map.entry("Workload-Proof-Token", r.value("Workload-Proof-Token")));
                    return new Raw(h);
                }, Reason.REPEATED_HEADER),
                new Mutation("P2-2 the seed example's WPT also sent as 'Authorization: WPT' → TWO_PROOF_TRANSPORTS", seed, false, VALID_AT,
                        r -> r.with("Authorization", "WPT " + r.value("Workload-Proof-Token")), Reason.TWO_PROOF_TRANSPORTS),
                new Mutation("P2-3 the seed example's WPT moved into 'Authorization: WPT' (its 'ath' binds a token that cannot go along) → ATH_MISMATCH",
                        seed, false, VALID_AT, r -> r.with("Authorization", "WPT " + r.value("Workload-Proof-Token")).without("Workload-Proof-Token"),
                        Reason.ATH_MISMATCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void V_12_eachSingleMutationOfTheExamplesIsRefusedWithItsReason(Mutation m) {
        RequestVerifier v = verifier(m.at(), m.understandOth());
        HttpRequestFacts facts = m.change().apply(request(m.file())).facts();
        assertThatThrownBy(() -> v.verify(facts)).isInstanceOfSatisfying(WimseException.class,
                e -> assertThat(e.reason()).as("reason (detail: %s)", e.detail()).isEqualTo(m.reason()));
    }
}
