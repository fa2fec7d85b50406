package io.wimse4j.httpsig.sfv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The examples of RFC 9651 and RFC 9421, the offsets that failures name, and the edge cases of the RFC's limits,
 * beside the httpwg suite ({@link HttpwgStructuredFieldTestsTest}).
 */
class StructuredFieldsTest {

    // ---------------------------------------------------------------------------------------------
    // the examples of RFC 9651 section 3: each parses and serializes to its canonical form

    static Stream<Arguments> rfc9651Examples() {
        return Stream.of(
                Arguments.of("list", "sugar, tea, rum", "sugar, tea, rum"),
                Arguments.of("list", "(\"foo\" \"bar\"), (\"baz\"), (\"bat\" \"one\"), ()",
                        "(\"foo\" \"bar\"), (\"baz\"), (\"bat\" \"one\"), ()"),
                Arguments.of("list", "(\"foo\"; a=1;b=2);lvl=5, (\"bar\" \"baz\");lvl=1",
                        "(\"foo\";a=1;b=2);lvl=5, (\"bar\" \"baz\");lvl=1"),
                Arguments.of("list", "abc;a=1;b=2; cde_456, (ghi;jk=4 l);q=\"9\";r=w",
                        "abc;a=1;b=2;cde_456, (ghi;jk=4 l);q=\"9\";r=w"),
                Arguments.of("dictionary", "en=\"Applepie\", da=:w4ZibGV0w6ZydGU=:", "en=\"Applepie\", da=:w4ZibGV0w6ZydGU=:"),
                Arguments.of("dictionary", "a=?0, b, c; foo=bar", "a=?0, b, c;foo=bar"),
                Arguments.of("dictionary", "rating=1.5, feelings=(joy sadness)", "rating=1.5, feelings=(joy sadness)"),
                Arguments.of("dictionary", "a=(1 2), b=3, c=4;aa=bb, d=(5 6);valid", "a=(1 2), b=3, c=4;aa=bb, d=(5 6);valid"),
                Arguments.of("item", "5; foo=bar", "5;foo=bar"),
                Arguments.of("item", "42", "42"),
                Arguments.of("item", "4.5", "4.5"),
                Arguments.of("item", "\"hello world\"", "\"hello world\""),
                Arguments.of("item", "foo123/456", "foo123/456"),
                Arguments.of("item", ":cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:", ":cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:"),
                Arguments.of("item", "?1", "?1"),
                Arguments.of("item", "@1659578233", "@1659578233"),
                Arguments.of("item", "%\"This is intended for display to %c3%bc%c3%b1%c3%ae%c3%a7%c3%b8%c3%b0%c3%a9 users.\"",
                        "%\"This is intended for display to %c3%bc%c3%b1%c3%ae%c3%a7%c3%b8%c3%b0%c3%a9 users.\""),
                Arguments.of("item", "  1.50  ", "1.5"),
                Arguments.of("list", "", ""),
                Arguments.of("dictionary", "   ", ""));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rfc9651Examples")
    void rfc9651ExamplesParseAndSerializeToTheirCanonicalForm(String type, String input, String canonical) throws Exception {
        assertThat(serialize(parse(type, input))).isEqualTo(canonical);
        assertThat(parse(type, canonical)).isEqualTo(parse(type, input));
    }

    @Test
    void theDisplayStringExampleDecodesToUnicode() throws Exception {
        assertThat(StructuredFields.parseItem("%\"f%c3%bc%c3%bc\"").value()).isEqualTo(new SfDisplayString("füü"));
        assertThat(StructuredFields.serialize(new SfDisplayString("100% \"ok\"\n"))).isEqualTo("%\"100%25 %22ok%22%0a\"");
    }

    @Test
    void anRfc9421SignatureInputAndSignatureParseIntoTheirParts() throws Exception {
        String input = "sig1=(\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-length\" \"content-type\")"
                + ";created=1618884473;keyid=\"test-key-rsa-pss\"";
        SfDictionary signatureInput = StructuredFields.parseDictionary(input);
        InnerList sig1 = (InnerList) signatureInput.get("sig1").orElseThrow();
        assertThat(sig1.items()).extracting(Item::value).containsExactly(new SfString("@method"), new SfString("@authority"),
                new SfString("@path"), new SfString("content-digest"), new SfString("content-length"), new SfString("content-type"));
        assertThat(sig1.parameters().get("created")).contains(new SfInteger(1618884473));
        assertThat(sig1.parameters().get("keyid")).contains(new SfString("test-key-rsa-pss"));
        assertThat(sig1.toString()).isEqualTo(input.substring("sig1=".length()));
        assertThat(StructuredFields.serialize(signatureInput)).isEqualTo(input);

        SfDictionary signature = StructuredFields.parseDictionary("sig1=:dGhlIHNpZ25hdHVyZQ==:");
        assertThat(((Item) signature.get("sig1").orElseThrow()).value())
                .isEqualTo(SfByteSequence.of("the signature".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    // ---------------------------------------------------------------------------------------------
    // failures name what was expected and where

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("item", "", 0, "expected an item, found the end"),
                Arguments.of("item", "1 2", 2, "unexpected '2' after the item"),
                Arguments.of("item", "\t1", 0, "expected an item, found U+0009"),
                Arguments.of("item", "1\t", 1, "unexpected U+0009 after the item"),
                Arguments.of("item", "\"\u00e9\"", 1, "not ASCII: U+00E9"),
                Arguments.of("item", "1234567890123456", 15, "an Integer has at most 15 digits"),
                Arguments.of("item", "1234567890123.4", 13, "a Decimal has at most 12 integer digits"),
                Arguments.of("item", "1.2345", 1, "a Decimal has at most 3 fractional digits"),
                Arguments.of("item", "1.", 1, "a Decimal ends with a digit"),
                Arguments.of("item", "-", 1, "expected a digit, found the end"),
                Arguments.of("item", "-a", 1, "expected a digit, found 'a'"),
                Arguments.of("item", "\"a\\b\"", 3, "a String escapes only"),
                Arguments.of("item", "\"abc", 4, "a String without its closing"),
                Arguments.of("item", "\"a\u0007\"", 2, "a String has no U+0007"),
                Arguments.of("item", ":abc", 1, "a Byte Sequence without its closing ':'"),
                Arguments.of("item", ":ab-c:", 3, "a Byte Sequence is base64, without '-'"),
                Arguments.of("item", "?2", 1, "a Boolean is ?1 or ?0"),
                Arguments.of("item", "@1.5", 0, "a Date is an Integer, not a Decimal"),
                Arguments.of("item", "@", 1, "expected an Integer after '@', found the end"),
                Arguments.of("item", "%\"%C3%BC\"", 2, "two lower-case hex digits"),
                Arguments.of("item", "%\"%ff\"", 0, "a Display String is not valid UTF-8"),
                Arguments.of("item", "%foo", 1, "expected '\"' after '%'"),
                Arguments.of("item", "a;", 2, "expected a key (a lower-case letter or '*'), found the end"),
                Arguments.of("item", "a;B=1", 2, "expected a key (a lower-case letter or '*'), found 'B'"),
                Arguments.of("list", "1,", 2, "a trailing ','"),
                Arguments.of("list", "1,,2", 2, "expected an item, found ','"),
                Arguments.of("list", "1;2", 2, "expected a key"),
                Arguments.of("list", "(1 2", 4, "an inner list without its closing ')'"),
                Arguments.of("list", "(1,2)", 2, "expected SP or ')' after an item of an inner list"),
                Arguments.of("list", "1 2", 2, "expected ',' between list members, found '2'"),
                Arguments.of("dictionary", "A=1", 0, "expected a key"),
                Arguments.of("dictionary", "a=1,", 4, "a trailing ','"),
                Arguments.of("dictionary", "a=1 b=2", 4, "expected ',' between dictionary members, found 'b'"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("failures")
    void aFailureNamesWhatWasExpectedAndItsOffset(String type, String input, int offset, String message) {
        assertThatThrownBy(() -> parse(type, input))
                .isInstanceOfSatisfying(StructuredFieldException.class, e -> {
                    assertThat(e.offset()).isEqualTo(offset);
                    assertThat(e.getMessage()).contains(message).endsWith(" at offset " + offset);
                });
    }

    @Test
    void aFieldValueLongerThanTheLimitIsRefusedBeforeParsing() throws Exception {
        String longest = "a".repeat(StructuredFields.MAX_LENGTH);
        assertThat(StructuredFields.parseItem(longest).value()).isEqualTo(new SfToken(longest));
        assertThatThrownBy(() -> StructuredFields.parseItem(longest + "a"))
                .isInstanceOf(StructuredFieldException.class).hasMessageContaining("longer than 65536 characters");
    }

    // ---------------------------------------------------------------------------------------------
    // the limits of RFC 9651, at their boundaries

    static Stream<Arguments> limits() {
        return Stream.of(
                Arguments.of("item", "999999999999999", "999999999999999"),
                Arguments.of("item", "-999999999999999", "-999999999999999"),
                Arguments.of("item", "999999999999.999", "999999999999.999"),
                Arguments.of("item", "-0", "0"),
                Arguments.of("item", "-0.0", "0.0"),
                Arguments.of("item", "007", "7"),
                Arguments.of("item", "1.000", "1.0"),
                Arguments.of("item", "@-999999999999999", "@-999999999999999"),
                Arguments.of("item", "*", "*"),
                Arguments.of("item", "a!#$%&'*+-.^_`|~:/09", "a!#$%&'*+-.^_`|~:/09"),
                Arguments.of("item", "\" ~\\\"\\\\\"", "\" ~\\\"\\\\\""),
                Arguments.of("item", "::", "::"),
                Arguments.of("item", "%\"\"", "%\"\""),
                Arguments.of("item", "1;*=2;a_-.*9", "1;*=2;a_-.*9"),
                Arguments.of("item", "1;a=?1", "1;a"),
                Arguments.of("list", "1 ,\t2", "1, 2"),
                Arguments.of("dictionary", "a=?1;x", "a;x"),
                Arguments.of("dictionary", "a=(?1)", "a=(?1)"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("limits")
    void valuesAtTheLimitsOfTheRfcParseToTheirCanonicalForm(String type, String input, String canonical) throws Exception {
        assertThat(serialize(parse(type, input))).isEqualTo(canonical);
    }

    static Stream<Arguments> invalidValues() {
        return Stream.<Arguments>of(
                Arguments.of("Integer above the maximum", (Runnable) () -> new SfInteger(SfInteger.MAX + 1)),
                Arguments.of("Integer below the minimum", (Runnable) () -> new SfInteger(SfInteger.MIN - 1)),
                Arguments.of("Date above the maximum", (Runnable) () -> new SfDate(SfInteger.MAX + 1)),
                Arguments.of("Decimal of 13 integer digits", (Runnable) () -> new SfDecimal(new BigDecimal("1000000000000"))),
                Arguments.of("Decimal that rounds to 13 integer digits", (Runnable) () -> new SfDecimal(new BigDecimal("999999999999.9995"))),
                Arguments.of("Decimal not finite", (Runnable) () -> SfDecimal.of(Double.NaN)),
                Arguments.of("String with a control", (Runnable) () -> new SfString("a\nb")),
                Arguments.of("String with non-ASCII", (Runnable) () -> new SfString("\u00e9")),
                Arguments.of("empty Token", (Runnable) () -> new SfToken("")),
                Arguments.of("Token starting with a digit", (Runnable) () -> new SfToken("1a")),
                Arguments.of("Token with a space", (Runnable) () -> new SfToken("a b")),
                Arguments.of("Display String with an unpaired surrogate", (Runnable) () -> new SfDisplayString("\ud800x")),
                Arguments.of("upper-case key", (Runnable) () -> Parameters.of("A", SfBoolean.TRUE)),
                Arguments.of("key starting with a digit", (Runnable) () -> SfDictionary.builder().put("1a", Item.of(SfBoolean.TRUE))),
                Arguments.of("empty key", (Runnable) () -> Parameters.of("", SfBoolean.TRUE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void aValueOutsideTheRfcCannotBeMade(String what, Runnable make) {
        assertThatThrownBy(make::run).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> decimalRounding() {
        return Stream.of(
                Arguments.of("0.0015", "0.002"), Arguments.of("0.0025", "0.002"), Arguments.of("-0.0015", "-0.002"),
                Arguments.of("-0.0025", "-0.002"), Arguments.of("0.00051", "0.001"), Arguments.of("1E+3", "1000.0"),
                Arguments.of("0.0004", "0.0"), Arguments.of("999999999999.9994", "999999999999.999"), Arguments.of("-2.50", "-2.5"));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("decimalRounding")
    void aDecimalRoundsToThreeFractionalDigitsHalfToEven(String value, String serialized) {
        SfDecimal decimal = new SfDecimal(new BigDecimal(value));
        assertThat(StructuredFields.serialize(decimal)).isEqualTo(serialized);
        assertThat(decimal).isEqualTo(new SfDecimal(new BigDecimal(serialized)));
    }

    // ---------------------------------------------------------------------------------------------
    // ordered maps

    @Test
    void aRepeatedKeyKeepsItsFirstPlaceAndItsLastValue() throws Exception {
        Item item = StructuredFields.parseItem("1;a=1;b=2;a=3");
        assertThat(item.parameters().keys()).containsExactly("a", "b");
        assertThat(item.parameters().get("a")).contains(new SfInteger(3));
        assertThat(item.toString()).isEqualTo("1;a=3;b=2");

        SfDictionary dictionary = StructuredFields.parseDictionary("a=1, b=2, a=(3)");
        assertThat(dictionary.keys()).containsExactly("a", "b");
        assertThat(dictionary.toString()).isEqualTo("a=(3), b=2");
        assertThat(Parameters.of("a", SfInteger.of(1)).with("b", SfBoolean.TRUE).with("a", SfInteger.of(2)).toString())
                .isEqualTo(";a=2;b");
    }

    @Test
    void dictionariesAndParametersAreEqualOnlyInTheSameOrder() throws Exception {
        assertThat(StructuredFields.parseDictionary("a=1, b=2")).isEqualTo(StructuredFields.parseDictionary("a=1,b=2"))
                .hasSameHashCodeAs(StructuredFields.parseDictionary("a=1,b=2"))
                .isNotEqualTo(StructuredFields.parseDictionary("b=2, a=1"));
        assertThat(StructuredFields.parseItem("1;a;b")).isNotEqualTo(StructuredFields.parseItem("1;b;a"));
        assertThat(StructuredFields.parseDictionary("")).isSameAs(SfDictionary.EMPTY);
    }

    @Test
    void builtValuesSerializeCanonically() {
        SfList list = SfList.of(
                Item.of(SfToken.of("text/html"), Parameters.builder().put("q", SfDecimal.of(0.5)).put("a", SfBoolean.TRUE).build()),
                InnerList.of(List.of(Item.of(SfString.of("x")), Item.of(SfDate.of(java.time.Instant.ofEpochSecond(7)))),
                        Parameters.of("n", SfInteger.of(-3))),
                Item.of(SfBoolean.FALSE));
        assertThat(StructuredFields.serialize(list)).isEqualTo("text/html;q=0.5;a, (\"x\" @7);n=-3, ?0");
        assertThat(SfList.EMPTY.toString()).isEmpty();
    }

    @Test
    void aByteSequenceCopiesItsBytesInAndOut() {
        byte[] bytes = {1, 2, 3};
        SfByteSequence sequence = SfByteSequence.of(bytes);
        bytes[0] = 9;
        sequence.bytes()[1] = 9;
        assertThat(sequence.bytes()).containsExactly(1, 2, 3);
        assertThat(sequence).isEqualTo(SfByteSequence.of(new byte[] {1, 2, 3})).hasToString(":AQID:");
    }

    @Test
    void combiningFieldLinesJoinsThemWithCommaAndSpace() throws Exception {
        assertThat(StructuredFields.combine(List.of("a=1", "b=2"))).isEqualTo("a=1, b=2");
        assertThat(StructuredFields.combine(List.of("1;a"))).isEqualTo("1;a");
        assertThatThrownBy(() -> StructuredFields.parseList(StructuredFields.combine(List.of("1", "", "2"))))
                .isInstanceOf(StructuredFieldException.class).hasMessageContaining("at offset 3");
        assertThatThrownBy(() -> StructuredFields.combine(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------------------------------------

    private static Object parse(String type, String input) throws StructuredFieldException {
        return switch (type) {
            case "item" -> StructuredFields.parseItem(input);
            case "list" -> StructuredFields.parseList(input);
            default -> StructuredFields.parseDictionary(input);
        };
    }

    private static String serialize(Object value) {
        if (value instanceof Item item) {
            return StructuredFields.serialize(item);
        }
        return value instanceof SfList list ? StructuredFields.serialize(list) : StructuredFields.serialize((SfDictionary) value);
    }
}
