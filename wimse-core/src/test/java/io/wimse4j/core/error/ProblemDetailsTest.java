package io.wimse4j.core.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one RFC 9457 writer and reader (V-14): one row per rule. Every written row is also read back
 * by {@link ProblemDetails#parse(String)} and by Jackson, and must equal what was written.
 */
class ProblemDetailsTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    /** A problem type of the test's own, to reach the writer without an enum. */
    private record Custom(String code, String title, int status) implements ProblemType {
    }

    private record Written(String rule, Supplier<ProblemDetails> problem, BiConsumer<String, JsonNode> check) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Written> written() {
        return Stream.of(
                new Written("V-14 RFC 9457 members type, title, status, detail, then code, in that order",
                        () -> ProblemDetails.of(Reason.EXPIRED, "the token expired"), (text, j) -> {
                            assertThat(names(j)).containsExactly("type", "title", "status", "detail", "code");
                            assertThat(j.get("title").textValue()).isEqualTo(Reason.EXPIRED.title());
                            assertThat(j.get("status").isInt()).isTrue();
                            assertThat(j.get("status").intValue()).isEqualTo(400);
                            assertThat(j.get("detail").textValue()).isEqualTo("the token expired");
                        }),
                new Written("V-14 code member present: the ProblemType's code", () -> ProblemDetails.of(Reason.AUDIENCE_MISMATCH, "x"),
                        (text, j) -> assertThat(j.get("code").textValue()).isEqualTo("audience-mismatch")),
                new Written("V-14 type is BASE followed by the code", () -> ProblemDetails.of(Reason.WTH_MISMATCH, "x"),
                        (text, j) -> assertThat(URI.create(j.get("type").textValue()))
                                .isEqualTo(ProblemType.typeOf("wth-mismatch")).isEqualTo(Reason.WTH_MISMATCH.type())),
                new Written("V-14 a 503 problem keeps its status", () -> ProblemDetails.of(Reason.REPLAY_CACHE_UNAVAILABLE, "down"),
                        (text, j) -> assertThat(j.get("status").intValue()).isEqualTo(503)),
                new Written("V-14 a WimseException gives its reason and detail", () -> ProblemDetails.of(new WimseException(Reason.REPLAY, "seen")),
                        (text, j) -> {
                            assertThat(j.get("code").textValue()).isEqualTo("replay");
                            assertThat(j.get("detail").textValue()).isEqualTo("seen");
                        }),
                new Written("V-14 no detail is written as an empty detail", () -> ProblemDetails.of(Reason.REPLAY, null),
                        (text, j) -> assertThat(j.get("detail").textValue()).isEmpty()),
                new Written("RFC 9457 3.1.5 instance is written after code", () -> ProblemDetails.builder(Reason.REPLAY)
                        .instance(URI.create("/orders/1")).build(), (text, j) -> {
                            assertThat(names(j)).containsExactly("type", "title", "status", "detail", "code", "instance");
                            assertThat(j.get("instance").textValue()).isEqualTo("/orders/1");
                        }),
                new Written("RFC 9457 3.2 extension members follow, in order", () -> ProblemDetails.builder(Reason.REPLAY)
                        .member("zeta", "1").member("alpha_2", "2").build(), (text, j) -> {
                            assertThat(names(j)).containsExactly("type", "title", "status", "detail", "code", "zeta", "alpha_2");
                            assertThat(j.get("alpha_2").textValue()).isEqualTo("2");
                        }),
                new Written("JSON quotes and backslashes are escaped: no member can be injected",
                        () -> ProblemDetails.of(Reason.UNSUPPORTED_ALG, "alg '\"}, \"x\": 1, \"y\": \"\\' <b>"), (text, j) -> {
                            assertThat(j.get("detail").textValue()).isEqualTo("alg '\"}, \"x\": 1, \"y\": \"\\' <b>");
                            assertThat(j.has("x")).isFalse();
                            assertThat(j.has("y")).isFalse();
                        }),
                new Written("JSON control characters never appear raw: the detail replaces them",
                        () -> ProblemDetails.of(Reason.INVALID_CLAIM, "a\nb\r\tc\u0000d\u007fe\u0085f\u200eg"), (text, j) -> {
                            assertThat(j.get("detail").textValue()).isEqualTo("a?b??c?d?e?f?g");
                            assertThat(text.chars()).noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f));
                        }),
                new Written("JSON control characters in an extension value are replaced too",
                        () -> ProblemDetails.builder(Reason.REPLAY).member("note", "x\u001by").build(),
                        (text, j) -> assertThat(j.get("note").textValue()).isEqualTo("x?y")),
                new Written("JSON line and paragraph separators are escaped, not written raw",
                        () -> ProblemDetails.of(Reason.INVALID_CLAIM, "a\u2028b\u2029c"), (text, j) -> {
                            assertThat(text).contains("a\\u2028b\\u2029c").doesNotContain("\u2028").doesNotContain("\u2029");
                            assertThat(j.get("detail").textValue()).isEqualTo("a\u2028b\u2029c");
                        }),
                new Written("JSON non-ASCII text is kept", () -> ProblemDetails.of(Reason.INVALID_CLAIM, "sub 'caf\u00e9 \ud83d\ude00'"),
                        (text, j) -> assertThat(j.get("detail").textValue()).isEqualTo("sub 'caf\u00e9 \ud83d\ude00'")),
                new Written("JSON a lone surrogate is escaped, never written as malformed UTF-16",
                        () -> ProblemDetails.of(Reason.INVALID_CLAIM, "a\ud800b"), (text, j) -> {
                            assertThat(text).contains("a\\ud800b");
                            assertThat(text.chars()).noneMatch(c -> Character.isSurrogate((char) c.intValue()));
                        }),
                new Written("V-14 the detail is bounded to MAX_DETAIL_LENGTH characters",
                        () -> ProblemDetails.of(Reason.INVALID_CLAIM, "x".repeat(100_000)), (text, j) -> {
                            assertThat(j.get("detail").textValue()).hasSize(ProblemDetails.MAX_DETAIL_LENGTH + 3).endsWith("...");
                            assertThat(text.length()).isLessThan(1000);
                        }),
                new Written("V-14 extension values are bounded like the detail",
                        () -> ProblemDetails.builder(Reason.REPLAY).member("note", "y".repeat(5000)).build(),
                        (text, j) -> assertThat(j.get("note").textValue()).hasSize(ProblemDetails.MAX_DETAIL_LENGTH + 3)),
                new Written("V-14 a problem type of an application's own is written the same way",
                        () -> ProblemDetails.of(new Custom("quota-exceeded", "Quota exceeded", 429), "slow down"), (text, j) -> {
                            assertThat(j.get("code").textValue()).isEqualTo("quota-exceeded");
                            assertThat(j.get("status").intValue()).isEqualTo(429);
                            assertThat(URI.create(j.get("type").textValue())).isEqualTo(ProblemType.typeOf("quota-exceeded"));
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("written")
    void written(Written row) throws Exception {
        ProblemDetails p = row.problem().get();
        String text = p.toJson();
        JsonNode j = JACKSON.readTree(text);
        row.check().accept(text, j);
        // round trip: the parser reads back exactly what the writer wrote, from text and from UTF-8
        assertThat(ProblemDetails.parse(text)).isEqualTo(p);
        assertThat(ProblemDetails.parse(p.toJsonBytes())).isEqualTo(p);
        assertThat(new String(p.toJsonBytes(), StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(p.code()).isEqualTo(j.get("code").textValue());
        assertThat(p.type()).isEqualTo(ProblemType.typeOf(p.code()));
    }

    private record Read(String rule, String json, BiConsumer<ProblemDetails, String> check) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Read> read() {
        String type = ProblemType.typeOf("join-token-invalid").toString();
        return Stream.of(
                new Read("V-14 a client reads the code", "{\"type\":\"" + type + "\",\"title\":\"Join token invalid\",\"status\":400,"
                        + "\"detail\":\"used\",\"code\":\"join-token-invalid\"}", (p, s) -> {
                            assertThat(p.code()).isEqualTo("join-token-invalid");
                            assertThat(p.status()).isEqualTo(400);
                            assertThat(p.title()).isEqualTo("Join token invalid");
                            assertThat(p.detail()).isEqualTo("used");
                        }),
                new Read("V-14 without a code member the code comes from a wimse4j type",
                        "{\"type\":\"" + type + "\",\"status\":400}", (p, s) -> assertThat(p.code()).isEqualTo("join-token-invalid")),
                new Read("V-14 without a type member the type comes from the code", "{\"code\":\"replay\",\"status\":400}",
                        (p, s) -> assertThat(p.type()).isEqualTo(Reason.REPLAY.type())),
                new Read("RFC 9457 3.1 a title, detail or instance of the wrong JSON type is ignored",
                        "{\"code\":\"replay\",\"status\":400,\"title\":7,\"detail\":[1],\"instance\":{}}", (p, s) -> {
                            assertThat(p.title()).isEmpty();
                            assertThat(p.detail()).isEmpty();
                            assertThat(p.instance()).isEmpty();
                        }),
                new Read("RFC 9457 3.2 string extension members are kept, others ignored",
                        "{\"code\":\"replay\",\"status\":400,\"note\":\"n\",\"count\":3,\"x\":\"short name\"}",
                        (p, s) -> assertThat(p.members()).isEqualTo(Map.of("note", "n"))),
                new Read("V-14 a read detail is bounded and free of control characters",
                        "{\"code\":\"replay\",\"status\":400,\"detail\":\"a\\u0000b" + "z".repeat(400) + "\"}", (p, s) -> {
                            assertThat(p.detail()).startsWith("a?b").hasSize(ProblemDetails.MAX_DETAIL_LENGTH + 3);
                        }),
                new Read("V-14 is(ProblemType) compares the code", "{\"code\":\"bad-signature\",\"status\":400}", (p, s) -> {
                    assertThat(p.is(Reason.BAD_SIGNATURE)).isTrue();
                    assertThat(p.is(Reason.UNKNOWN_KEY)).isFalse();
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("read")
    void read(Read row) {
        row.check().accept(ProblemDetails.parse(row.json()), row.json());
    }

    private record Refused(String rule, Supplier<Object> action, String why) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Refused> refused() {
        String replayType = Reason.REPLAY.type().toString();
        List<Refused> rows = new ArrayList<>(List.of(
                new Refused("parse: not JSON", () -> ProblemDetails.parse("<html>"), "not a strict JSON object"),
                new Refused("parse: duplicate member (strict JSON)", () -> ProblemDetails.parse(
                        "{\"code\":\"replay\",\"code\":\"expired\",\"status\":400}"), "not a strict JSON object"),
                new Refused("parse: not an object", () -> ProblemDetails.parse("[1]"), "not a strict JSON object"),
                new Refused("parse: size limit before parsing", () -> ProblemDetails.parse(
                        "{\"code\":\"replay\",\"status\":400,\"detail\":\"" + "a".repeat(ProblemDetails.MAX_DOCUMENT_LENGTH) + "\"}"),
                        "longer than " + ProblemDetails.MAX_DOCUMENT_LENGTH),
                new Refused("parse: malformed UTF-8", () -> ProblemDetails.parse(new byte[] {'{', (byte) 0xC3, '}'}), "not UTF-8"),
                new Refused("parse: neither code nor type", () -> ProblemDetails.parse("{\"status\":400}"), "no 'code'"),
                new Refused("parse: code in upper case", () -> ProblemDetails.parse("{\"code\":\"REPLAY\",\"status\":400}"),
                        "'code' is not a problem code"),
                new Refused("parse: code not a string", () -> ProblemDetails.parse("{\"code\":1,\"status\":400}"),
                        "'code' is not a problem code"),
                new Refused("parse: type of another vocabulary", () -> ProblemDetails.parse(
                        "{\"type\":\"about:blank\",\"code\":\"replay\",\"status\":400}"), "'type' is not a wimse4j problem type"),
                new Refused("parse: type not a string", () -> ProblemDetails.parse("{\"type\":1,\"code\":\"replay\",\"status\":400}"),
                        "'type' is not a string"),
                new Refused("parse: type and code disagree", () -> ProblemDetails.parse(
                        "{\"type\":\"" + replayType + "\",\"code\":\"expired\",\"status\":400}"), "'type' and 'code' disagree"),
                new Refused("parse: no status", () -> ProblemDetails.parse("{\"code\":\"replay\"}"), "'status'"),
                new Refused("parse: status not an error", () -> ProblemDetails.parse("{\"code\":\"replay\",\"status\":200}"), "'status'"),
                new Refused("parse: status a string", () -> ProblemDetails.parse("{\"code\":\"replay\",\"status\":\"400\"}"), "'status'"),
                new Refused("write: a status that is not an error", () -> ProblemDetails.of(new Custom("ok", "OK", 200), ""),
                        "4xx or 5xx"),
                new Refused("write: a code that is not lower-case words", () -> ProblemDetails.of(new Custom("Bad_Code", "t", 400), ""),
                        "not a problem code"),
                new Refused("RFC 9457 3.2 write: a reserved member name", () -> ProblemDetails.builder(Reason.REPLAY).member("code", "x"),
                        "not an extension member name"),
                new Refused("RFC 9457 3.2 write: a member name shorter than three characters",
                        () -> ProblemDetails.builder(Reason.REPLAY).member("ab", "x"), "not an extension member name"),
                new Refused("RFC 9457 3.2 write: a member name not starting with a letter",
                        () -> ProblemDetails.builder(Reason.REPLAY).member("_abc", "x"), "not an extension member name"),
                new Refused("write: a member given twice", () -> ProblemDetails.builder(Reason.REPLAY).member("note", "a").member("note", "b"),
                        "given twice"),
                new Refused("write: too many members", () -> {
                    ProblemDetails.Builder b = ProblemDetails.builder(Reason.REPLAY);
                    for (int i = 0; i <= ProblemDetails.MAX_MEMBERS; i++) {
                        b.member("member" + i, "v");
                    }
                    return b.build();
                }, "at most " + ProblemDetails.MAX_MEMBERS)));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refused(Refused row) {
        assertThatThrownBy(() -> row.action().get()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(row.why())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("<html>").doesNotContain("aaaaaaaa"));
    }

    private record Code(String code, boolean valid) {
        @Override
        public String toString() {
            return (valid ? "valid " : "invalid ") + "'" + code + "'";
        }
    }

    static Stream<Code> codes() {
        return Stream.of(new Code("replay", true), new Code("a", true), new Code("wth-mismatch", true),
                new Code("http-2-error", true), new Code("a".repeat(ProblemType.MAX_CODE_LENGTH), true),
                new Code("", false), new Code("Replay", false), new Code("REPLAY", false), new Code("wth_mismatch", false),
                new Code("-replay", false), new Code("replay-", false), new Code("wth--mismatch", false), new Code("2fa", false),
                new Code("a b", false), new Code("a/b", false), new Code("a".repeat(ProblemType.MAX_CODE_LENGTH + 1), false));
    }

    @ParameterizedTest(name = "V-14 {0}")
    @MethodSource("codes")
    void V_14_codeShape(Code row) {
        assertThat(ProblemType.isCode(row.code())).isEqualTo(row.valid());
        if (row.valid()) {
            assertThat(ProblemType.codeOf(ProblemType.typeOf(row.code()))).hasValue(row.code());
        } else {
            assertThatThrownBy(() -> ProblemType.typeOf(row.code())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a problem code");
        }
    }

    @Test
    void V_14_codeOfIsEmptyForTypesOfOtherVocabularies() {
        assertThat(ProblemType.codeOf(URI.create("about:blank"))).isEmpty();
        assertThat(ProblemType.codeOf(URI.create("https://example.org/problems/replay"))).isEmpty();
        assertThat(ProblemType.codeOf(ProblemType.BASE)).isEmpty();
        assertThat(ProblemType.codeOf(ProblemType.BASE.resolve("Replay"))).isEmpty();
    }

    @Test
    void V_14_everyReasonIsAProblemTypeFoundByItsCode() {
        Set<String> codes = new HashSet<>();
        for (Reason r : Reason.values()) {
            assertThat(codes.add(r.code())).as("duplicate code %s", r.code()).isTrue();
            assertThat(r.code()).isEqualTo(r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            assertThat(Reason.fromCode(r.code())).hasValue(r);
            assertThat(r.problemType()).isEqualTo(r.type()).isEqualTo(ProblemType.typeOf(r.code()));
            assertThat(r.status()).isEqualTo(r.httpStatus());
        }
        assertThat(Reason.fromCode("REPLAY")).isEmpty();
        assertThat(Reason.fromCode(null)).isEmpty();
        assertThat(Reason.fromCode("forbidden")).isEmpty();
    }

    private static List<String> names(JsonNode j) {
        List<String> names = new ArrayList<>();
        j.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
