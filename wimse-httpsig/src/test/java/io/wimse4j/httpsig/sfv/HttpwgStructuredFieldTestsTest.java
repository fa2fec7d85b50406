package io.wimse4j.httpsig.sfv;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every case of the httpwg structured-field test suite ({@code src/test/resources/structured-field-tests/},
 * see its README for the provenance): a {@code must_fail} case must fail to parse with a
 * {@link StructuredFieldException} (or, in {@code serialisation-tests/}, cannot be made or serialized); a
 * {@code can_fail} case may fail, and if it parses it must parse to the expected value; every other case must
 * parse to its {@code expected} value, and that value and the parsed one must serialize to the {@code canonical}
 * form (the {@code raw} one when none is given).
 */
class HttpwgStructuredFieldTestsTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Cases in the suite's commit 1e280c3 (2026-06-09); a guard that no file is silently skipped. */
    private static final int CASES = 2135;

    @TestFactory
    Stream<DynamicNode> everyCaseOfTheSuite() throws IOException {
        List<DynamicNode> files = new ArrayList<>();
        for (Path file : suiteFiles()) {
            String name = suiteRoot().relativize(file).toString();
            boolean serialisationOnly = name.startsWith("serialisation-tests");
            List<DynamicTest> tests = new ArrayList<>();
            for (JsonNode testCase : JSON.readTree(file.toFile())) {
                tests.add(DynamicTest.dynamicTest(testCase.get("name").asText(),
                        () -> run(testCase, serialisationOnly)));
            }
            files.add(DynamicContainer.dynamicContainer(name, tests));
        }
        return files.stream();
    }

    @Test
    void theSuiteIsComplete() throws IOException {
        int cases = 0;
        for (Path file : suiteFiles()) {
            cases += JSON.readTree(file.toFile()).size();
        }
        assertThat(suiteFiles()).hasSize(24);
        assertThat(cases).isEqualTo(CASES);
    }

    private static void run(JsonNode testCase, boolean serialisationOnly) throws Exception {
        String type = testCase.get("header_type").asText();
        boolean mustFail = testCase.path("must_fail").asBoolean(false);
        boolean canFail = testCase.path("can_fail").asBoolean(false);
        if (serialisationOnly) {
            if (mustFail) {
                assertThatThrownBy(() -> serialize(type, SuiteJson.value(type, testCase.get("expected"))))
                        .isInstanceOf(IllegalArgumentException.class);
            } else {
                assertThat(serialize(type, SuiteJson.value(type, testCase.get("expected"))))
                        .isEqualTo(canonical(testCase));
            }
            return;
        }
        String raw = StructuredFields.combine(lines(testCase.get("raw")));
        if (mustFail) {
            assertThatThrownBy(() -> parse(type, raw)).isInstanceOf(StructuredFieldException.class);
            return;
        }
        Object parsed;
        try {
            parsed = parse(type, raw);
        } catch (StructuredFieldException e) {
            if (canFail) {
                return;
            }
            throw e;
        }
        Object expected = SuiteJson.value(type, testCase.get("expected"));
        assertThat(parsed).isEqualTo(expected);
        assertThat(serialize(type, parsed)).isEqualTo(canonical(testCase));
        assertThat(serialize(type, expected)).isEqualTo(canonical(testCase));
    }

    private static Object parse(String type, String raw) throws StructuredFieldException {
        return switch (type) {
            case "item" -> StructuredFields.parseItem(raw);
            case "list" -> StructuredFields.parseList(raw);
            case "dictionary" -> StructuredFields.parseDictionary(raw);
            default -> throw new IllegalStateException("header_type " + type);
        };
    }

    private static String serialize(String type, Object value) {
        return switch (type) {
            case "item" -> StructuredFields.serialize((Item) value);
            case "list" -> StructuredFields.serialize((SfList) value);
            case "dictionary" -> StructuredFields.serialize((SfDictionary) value);
            default -> throw new IllegalStateException("header_type " + type);
        };
    }

    /** The canonical form: {@code canonical} if given (an empty array is the empty string), else {@code raw}. */
    private static String canonical(JsonNode testCase) {
        JsonNode canonical = testCase.get("canonical");
        List<String> lines = lines(canonical != null ? canonical : testCase.get("raw"));
        return lines.isEmpty() ? "" : StructuredFields.combine(lines);
    }

    private static List<String> lines(JsonNode array) {
        List<String> lines = new ArrayList<>();
        array.forEach(line -> lines.add(line.asText()));
        return lines;
    }

    private static Path suiteRoot() {
        try {
            return Path.of(HttpwgStructuredFieldTestsTest.class.getResource("/structured-field-tests/README.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> suiteFiles() throws IOException {
        try (Stream<Path> files = Files.walk(suiteRoot())) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** The suite's JSON form of expected values, as wimse4j values. */
    static final class SuiteJson {
        private SuiteJson() {
        }

        static Object value(String type, JsonNode expected) {
            return switch (type) {
                case "item" -> item(expected);
                case "list" -> list(expected);
                case "dictionary" -> dictionary(expected);
                default -> throw new IllegalStateException("header_type " + type);
            };
        }

        static SfList list(JsonNode members) {
            List<Member> list = new ArrayList<>();
            members.forEach(m -> list.add(member(m)));
            return new SfList(list);
        }

        static SfDictionary dictionary(JsonNode members) {
            SfDictionary.Builder dictionary = SfDictionary.builder();
            members.forEach(m -> dictionary.put(m.get(0).asText(), member(m.get(1))));
            return dictionary.build();
        }

        static Member member(JsonNode member) {
            if (member.get(0).isArray()) {
                List<Item> items = new ArrayList<>();
                member.get(0).forEach(i -> items.add(item(i)));
                return new InnerList(items, parameters(member.get(1)));
            }
            return item(member);
        }

        static Item item(JsonNode item) {
            return new Item(bareItem(item.get(0)), parameters(item.get(1)));
        }

        static Parameters parameters(JsonNode parameters) {
            Parameters.Builder builder = Parameters.builder();
            parameters.forEach(p -> builder.put(p.get(0).asText(), bareItem(p.get(1))));
            return builder.build();
        }

        static BareItem bareItem(JsonNode value) {
            if (value.isIntegralNumber()) {
                return new SfInteger(value.longValue());
            } else if (value.isNumber()) {
                return new SfDecimal(value.decimalValue());
            } else if (value.isTextual()) {
                return new SfString(value.asText());
            } else if (value.isBoolean()) {
                return SfBoolean.of(value.asBoolean());
            }
            JsonNode v = value.get("value");
            return switch (value.get("__type").asText()) {
                case "token" -> new SfToken(v.asText());
                case "binary" -> SfByteSequence.of(base32(v.asText()));
                case "date" -> new SfDate(v.longValue());
                case "displaystring" -> new SfDisplayString(v.asText());
                default -> throw new IllegalStateException("__type " + value.get("__type"));
            };
        }

        /** RFC 4648 section 6 base32, padded. */
        static byte[] base32(String text) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int buffer = 0;
            int bits = 0;
            for (char c : text.replace("=", "").toCharArray()) {
                int v = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(c);
                if (v < 0) {
                    throw new IllegalStateException("base32 " + text);
                }
                buffer = buffer << 5 | v;
                bits += 5;
                if (bits >= 8) {
                    bits -= 8;
                    out.write(buffer >> bits & 0xff);
                }
            }
            return out.toByteArray();
        }
    }
}
