package io.wimse4j.httpsig.sfv;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The parsing algorithms of RFC 9651 section 4.2, step by step, over one field value. The position
 * {@link #pos} is the RFC's {@code input_string}: "consume" advances it, "the first character" is the one at it.
 */
final class Parser {
    private final String input;
    private int pos;

    private Parser(String input) {
        this.input = input;
    }

    /** Section 4.2 for {@code type}: checks ASCII, discards leading and trailing SP, fails on anything left. */
    static Object parse(String input, FieldType type) throws StructuredFieldException {
        Parser p = new Parser(input);
        for (int i = 0; i < input.length(); i++) {
            if (input.charAt(i) > 0x7f) {
                throw new StructuredFieldException("not ASCII: " + Chars.describe(input.charAt(i)), i);
            }
        }
        p.discardSp();
        Object value = switch (type) {
            case ITEM -> p.item();
            case LIST -> p.list();
            case DICTIONARY -> p.dictionary();
        };
        p.discardSp();
        if (!p.atEnd()) {
            throw p.fail("unexpected " + Chars.describe(p.peek()) + " after the " + type.label);
        }
        return value;
    }

    /** The three top-level types. */
    enum FieldType {
        ITEM("item"), LIST("list"), DICTIONARY("dictionary");

        final String label;

        FieldType(String label) {
            this.label = label;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // section 4.2.1 to 4.2.3: the structures

    /** Section 4.2.1. */
    private SfList list() throws StructuredFieldException {
        List<Member> members = new ArrayList<>();
        while (!atEnd()) {
            members.add(itemOrInnerList());
            discardOws();
            if (atEnd()) {
                break;
            }
            expect(',', "',' between list members");
            discardOws();
            if (atEnd()) {
                throw fail("a trailing ',' after the last list member");
            }
        }
        return new SfList(members);
    }

    private Member itemOrInnerList() throws StructuredFieldException {
        return !atEnd() && peek() == '(' ? innerList() : item();
    }

    /** Section 4.2.1.2. */
    private InnerList innerList() throws StructuredFieldException {
        expect('(', "'(' opening an inner list");
        List<Item> items = new ArrayList<>();
        while (!atEnd()) {
            discardSp();
            if (!atEnd() && peek() == ')') {
                pos++;
                return new InnerList(items, parameters());
            }
            items.add(item());
            if (!atEnd() && peek() != ' ' && peek() != ')') {
                throw fail("expected SP or ')' after an item of an inner list");
            }
        }
        throw fail("an inner list without its closing ')'");
    }

    /** Section 4.2.2. */
    private SfDictionary dictionary() throws StructuredFieldException {
        SfDictionary.Builder dictionary = SfDictionary.builder();
        while (!atEnd()) {
            String key = key();
            Member member;
            if (!atEnd() && peek() == '=') {
                pos++;
                member = itemOrInnerList();
            } else {
                member = new Item(SfBoolean.TRUE, parameters());
            }
            dictionary.put(key, member);
            discardOws();
            if (atEnd()) {
                break;
            }
            expect(',', "',' between dictionary members");
            discardOws();
            if (atEnd()) {
                throw fail("a trailing ',' after the last dictionary member");
            }
        }
        return dictionary.build();
    }

    /** Section 4.2.3. */
    private Item item() throws StructuredFieldException {
        BareItem value = bareItem();
        return new Item(value, parameters());
    }

    /** Section 4.2.3.1. */
    private BareItem bareItem() throws StructuredFieldException {
        if (atEnd()) {
            throw fail("expected an item, found the end");
        }
        char c = peek();
        if (c == '-' || Chars.isDigit(c)) {
            return number();
        } else if (c == '"') {
            return string();
        } else if (Chars.isAlpha(c) || c == '*') {
            return token();
        } else if (c == ':') {
            return byteSequence();
        } else if (c == '?') {
            return bool();
        } else if (c == '@') {
            return date();
        } else if (c == '%') {
            return displayString();
        }
        throw fail("expected an item, found " + Chars.describe(c));
    }

    /** Section 4.2.3.2. */
    private Parameters parameters() throws StructuredFieldException {
        Parameters.Builder parameters = null;
        while (!atEnd() && peek() == ';') {
            pos++;
            discardSp();
            String key = key();
            BareItem value = SfBoolean.TRUE;
            if (!atEnd() && peek() == '=') {
                pos++;
                value = bareItem();
            }
            if (parameters == null) {
                parameters = Parameters.builder();
            }
            parameters.put(key, value);
        }
        return parameters == null ? Parameters.EMPTY : parameters.build();
    }

    /** Section 4.2.3.3. */
    private String key() throws StructuredFieldException {
        if (atEnd() || !(Chars.isLcAlpha(peek()) || peek() == '*')) {
            throw fail("expected a key (a lower-case letter or '*')" + (atEnd() ? ", found the end" : ", found " + Chars.describe(peek())));
        }
        int start = pos++;
        while (!atEnd() && Chars.isKeyChar(peek())) {
            pos++;
        }
        return input.substring(start, pos);
    }

    // ---------------------------------------------------------------------------------------------
    // section 4.2.4 to 4.2.10: the bare items

    /** Section 4.2.4. */
    private BareItem number() throws StructuredFieldException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (atEnd() || !Chars.isDigit(peek())) {
            throw fail("expected a digit" + (atEnd() ? ", found the end" : ", found " + Chars.describe(peek())));
        }
        int digitsStart = pos;
        int dot = -1;
        while (!atEnd()) {
            char c = peek();
            if (Chars.isDigit(c)) {
                pos++;
            } else if (dot < 0 && c == '.') {
                if (pos - digitsStart > 12) {
                    throw fail("a Decimal has at most 12 integer digits");
                }
                dot = pos++;
            } else {
                break;
            }
            if (dot < 0 && pos - digitsStart > 15) {
                throw new StructuredFieldException("an Integer has at most 15 digits", pos - 1);
            }
            if (dot >= 0 && pos - digitsStart > 16) {
                throw new StructuredFieldException("a Decimal has at most 16 characters", pos - 1);
            }
        }
        String number = input.substring(start, pos);
        if (dot < 0) {
            return new SfInteger(Long.parseLong(number));
        }
        if (dot == pos - 1) {
            throw new StructuredFieldException("a Decimal ends with a digit, not '.'", dot);
        }
        if (pos - dot - 1 > 3) {
            throw new StructuredFieldException("a Decimal has at most 3 fractional digits", dot);
        }
        return new SfDecimal(new BigDecimal(number));
    }

    /** Section 4.2.5. */
    private SfString string() throws StructuredFieldException {
        pos++;
        StringBuilder out = new StringBuilder();
        while (!atEnd()) {
            char c = input.charAt(pos++);
            if (c == '\\') {
                if (atEnd()) {
                    throw fail("a String ends in '\\'");
                }
                char next = input.charAt(pos++);
                if (next != '"' && next != '\\') {
                    throw new StructuredFieldException("a String escapes only '\"' and '\\', not " + Chars.describe(next), pos - 1);
                }
                out.append(next);
            } else if (c == '"') {
                return new SfString(out.toString());
            } else if (c < 0x20 || c > 0x7e) {
                throw new StructuredFieldException("a String has no " + Chars.describe(c), pos - 1);
            } else {
                out.append(c);
            }
        }
        throw fail("a String without its closing '\"'");
    }

    /** Section 4.2.6. */
    private SfToken token() {
        int start = pos++;
        while (!atEnd() && Chars.isTokenChar(peek())) {
            pos++;
        }
        return new SfToken(input.substring(start, pos));
    }

    /** Section 4.2.7; padding is optional and pad bits are ignored, as the section recommends (SHOULD NOT fail). */
    private SfByteSequence byteSequence() throws StructuredFieldException {
        int start = ++pos;
        int end = input.indexOf(':', start);
        if (end < 0) {
            throw fail("a Byte Sequence without its closing ':'");
        }
        for (int i = start; i < end; i++) {
            char c = input.charAt(i);
            if (!(Chars.isAlpha(c) || Chars.isDigit(c) || c == '+' || c == '/' || c == '=')) {
                throw new StructuredFieldException("a Byte Sequence is base64, without " + Chars.describe(c), i);
            }
        }
        pos = end + 1;
        try {
            return SfByteSequence.of(Base64.getDecoder().decode(input.substring(start, end)));
        } catch (IllegalArgumentException e) {
            throw new StructuredFieldException("a Byte Sequence is not valid base64", start);
        }
    }

    /** Section 4.2.8. */
    private SfBoolean bool() throws StructuredFieldException {
        pos++;
        if (!atEnd() && peek() == '1') {
            pos++;
            return SfBoolean.TRUE;
        }
        if (!atEnd() && peek() == '0') {
            pos++;
            return SfBoolean.FALSE;
        }
        throw fail("a Boolean is ?1 or ?0");
    }

    /** Section 4.2.9. */
    private SfDate date() throws StructuredFieldException {
        int at = pos++;
        if (atEnd()) {
            throw fail("expected an Integer after '@', found the end");
        }
        if (number() instanceof SfInteger seconds) {
            return new SfDate(seconds.value());
        }
        throw new StructuredFieldException("a Date is an Integer, not a Decimal", at);
    }

    /** Section 4.2.10. */
    private SfDisplayString displayString() throws StructuredFieldException {
        int start = pos++;
        expect('"', "'\"' after '%' opening a Display String");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (!atEnd()) {
            char c = input.charAt(pos++);
            if (c < 0x20 || c > 0x7e) {
                throw new StructuredFieldException("a Display String has no " + Chars.describe(c), pos - 1);
            } else if (c == '%') {
                int hi = pos < input.length() ? lowerHex(input.charAt(pos)) : -1;
                int lo = pos + 1 < input.length() ? lowerHex(input.charAt(pos + 1)) : -1;
                if (hi < 0 || lo < 0) {
                    throw new StructuredFieldException("a Display String has '%' followed by two lower-case hex digits", pos - 1);
                }
                bytes.write(hi << 4 | lo);
                pos += 2;
            } else if (c == '"') {
                try {
                    return new SfDisplayString(StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
                } catch (CharacterCodingException e) {
                    throw new StructuredFieldException("a Display String is not valid UTF-8", start);
                }
            } else {
                bytes.write(c);
            }
        }
        throw fail("a Display String without its closing '\"'");
    }

    private static int lowerHex(char c) {
        if (Chars.isDigit(c)) {
            return c - '0';
        }
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    // ---------------------------------------------------------------------------------------------

    private boolean atEnd() {
        return pos >= input.length();
    }

    private char peek() {
        return input.charAt(pos);
    }

    private void expect(char c, String what) throws StructuredFieldException {
        if (atEnd() || peek() != c) {
            throw fail("expected " + what + (atEnd() ? ", found the end" : ", found " + Chars.describe(peek())));
        }
        pos++;
    }

    private void discardSp() {
        while (!atEnd() && peek() == ' ') {
            pos++;
        }
    }

    /** OWS: SP and HTAB. */
    private void discardOws() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    private StructuredFieldException fail(String problem) {
        return new StructuredFieldException(problem, pos);
    }
}
