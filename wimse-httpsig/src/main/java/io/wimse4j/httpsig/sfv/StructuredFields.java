package io.wimse4j.httpsig.sfv;

import java.util.List;
import java.util.Objects;

/**
 * Parses and serializes Structured Field Values for HTTP (RFC 9651). Parsing follows section 4.2 exactly and
 * strictly: leading and trailing spaces are discarded, and anything else that the grammar does not allow fails
 * with a {@link StructuredFieldException} that names the offset. Serializing follows section 4.1 and gives the
 * canonical form, which is what a parsed value serializes back to.
 *
 * <p>A field sent in several field lines is parsed from its lines joined by {@code ", "} (RFC 9110 section 5.3;
 * RFC 9651 section 4.2), which {@link #combine(List)} does. A field value longer than {@value #MAX_LENGTH}
 * characters is refused before parsing.
 *
 * <pre>{@code
 * SfDictionary input = StructuredFields.parseDictionary(
 *         "sig1=(\"@method\" \"@path\");created=1618884473;keyid=\"test-key\"");
 * String again = StructuredFields.serialize(input);
 * }</pre>
 */
public final class StructuredFields {
    /**
     * The longest field value parsed, in characters: 64 KiB, well above what RFC 9651 section 3 asks a parser to
     * support (1,024 list members of 1,024-character strings are not one field) and far above any HTTP server's
     * header limit.
     */
    public static final int MAX_LENGTH = 65_536;

    private StructuredFields() {
    }

    /**
     * Parses {@code fieldValue} as an Item (section 4.2.3).
     *
     * @throws StructuredFieldException when it is not one
     */
    public static Item parseItem(String fieldValue) throws StructuredFieldException {
        return (Item) Parser.parse(checkLength(fieldValue), Parser.FieldType.ITEM);
    }

    /**
     * Parses {@code fieldValue} as a List (section 4.2.1); the empty string is the empty list.
     *
     * @throws StructuredFieldException when it is not one
     */
    public static SfList parseList(String fieldValue) throws StructuredFieldException {
        return (SfList) Parser.parse(checkLength(fieldValue), Parser.FieldType.LIST);
    }

    /**
     * Parses {@code fieldValue} as a Dictionary (section 4.2.2); the empty string is the empty dictionary.
     *
     * @throws StructuredFieldException when it is not one
     */
    public static SfDictionary parseDictionary(String fieldValue) throws StructuredFieldException {
        return (SfDictionary) Parser.parse(checkLength(fieldValue), Parser.FieldType.DICTIONARY);
    }

    /**
     * The field lines of one field combined into one field value: joined by {@code ", "}, in order. A single line is
     * returned as it is.
     *
     * @throws IllegalArgumentException when there are no lines (an absent field is no value)
     */
    public static String combine(List<String> fieldLines) {
        if (fieldLines.isEmpty()) {
            throw new IllegalArgumentException("a field has at least one field line");
        }
        fieldLines.forEach(line -> Objects.requireNonNull(line, "field line"));
        return fieldLines.size() == 1 ? fieldLines.get(0) : String.join(", ", fieldLines);
    }

    /** The canonical serialization of {@code item} (section 4.1.3). */
    public static String serialize(Item item) {
        StringBuilder out = new StringBuilder();
        Serializer.item(Objects.requireNonNull(item, "item"), out);
        return out.toString();
    }

    /** The canonical serialization of {@code bareItem} without parameters (section 4.1.3.1). */
    public static String serialize(BareItem bareItem) {
        StringBuilder out = new StringBuilder();
        Serializer.bareItem(Objects.requireNonNull(bareItem, "bareItem"), out);
        return out.toString();
    }

    /**
     * The canonical serialization of {@code innerList} with its parameters (section 4.1.1.1), e.g.
     * {@code ("@method" "@path");created=1}: the value of RFC 9421's {@code @signature-params}.
     */
    public static String serialize(InnerList innerList) {
        StringBuilder out = new StringBuilder();
        Serializer.innerList(Objects.requireNonNull(innerList, "innerList"), out);
        return out.toString();
    }

    /**
     * The canonical serialization of {@code list} (section 4.1.1); the empty string for the empty list, which a
     * sender represents by not sending the field.
     */
    public static String serialize(SfList list) {
        StringBuilder out = new StringBuilder();
        Serializer.list(Objects.requireNonNull(list, "list"), out);
        return out.toString();
    }

    /**
     * The canonical serialization of {@code dictionary} (section 4.1.2); the empty string for the empty
     * dictionary, which a sender represents by not sending the field.
     */
    public static String serialize(SfDictionary dictionary) {
        StringBuilder out = new StringBuilder();
        Serializer.dictionary(Objects.requireNonNull(dictionary, "dictionary"), out);
        return out.toString();
    }

    private static String checkLength(String fieldValue) throws StructuredFieldException {
        Objects.requireNonNull(fieldValue, "fieldValue");
        if (fieldValue.length() > MAX_LENGTH) {
            throw new StructuredFieldException("a field value longer than " + MAX_LENGTH + " characters", MAX_LENGTH);
        }
        return fieldValue;
    }
}
