package io.wimse4j.httpsig.sfv;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The serialization algorithms of RFC 9651 section 4.1. They cannot fail: every value was checked when it
 * was made (range of Integers and Dates, digits of Decimals, characters of Strings, Tokens and keys).
 */
final class Serializer {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Serializer() {
    }

    /** Section 4.1.1. */
    static void list(SfList list, StringBuilder out) {
        List<Member> members = list.members();
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            member(members.get(i), out);
        }
    }

    /** Section 4.1.2. */
    static void dictionary(SfDictionary dictionary, StringBuilder out) {
        boolean first = true;
        for (Map.Entry<String, Member> e : dictionary.asMap().entrySet()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append(e.getKey());
            if (e.getValue() instanceof Item item && SfBoolean.TRUE.equals(item.value())) {
                parameters(item.parameters(), out);
            } else {
                out.append('=');
                member(e.getValue(), out);
            }
        }
    }

    private static void member(Member member, StringBuilder out) {
        if (member instanceof InnerList innerList) {
            innerList(innerList, out);
        } else {
            item((Item) member, out);
        }
    }

    /** Section 4.1.1.1. */
    static void innerList(InnerList innerList, StringBuilder out) {
        out.append('(');
        List<Item> items = innerList.items();
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            item(items.get(i), out);
        }
        out.append(')');
        parameters(innerList.parameters(), out);
    }

    /** Section 4.1.1.2; a parameter whose value is Boolean true is its key alone. */
    static void parameters(Parameters parameters, StringBuilder out) {
        for (Map.Entry<String, BareItem> e : parameters.asMap().entrySet()) {
            out.append(';').append(e.getKey());
            if (!SfBoolean.TRUE.equals(e.getValue())) {
                out.append('=');
                bareItem(e.getValue(), out);
            }
        }
    }

    /** Section 4.1.3. */
    static void item(Item item, StringBuilder out) {
        bareItem(item.value(), out);
        parameters(item.parameters(), out);
    }

    /** Section 4.1.3.1. */
    static void bareItem(BareItem value, StringBuilder out) {
        if (value instanceof SfInteger i) {
            out.append(i.value());
        } else if (value instanceof SfDecimal d) {
            out.append(d.value().toPlainString());
        } else if (value instanceof SfString s) {
            string(s.value(), out);
        } else if (value instanceof SfToken t) {
            out.append(t.value());
        } else if (value instanceof SfByteSequence b) {
            out.append(':').append(b.base64()).append(':');
        } else if (value instanceof SfBoolean b) {
            out.append(b.value() ? "?1" : "?0");
        } else if (value instanceof SfDate d) {
            out.append('@').append(d.epochSeconds());
        } else {
            displayString(((SfDisplayString) value).value(), out);
        }
    }

    /** Section 4.1.6. */
    private static void string(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    /** Section 4.1.11: UTF-8, with {@code %}, {@code "}, controls and non-ASCII bytes as lower-case {@code %xx}. */
    private static void displayString(String value, StringBuilder out) {
        out.append("%\"");
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '%' || c == '"' || c < 0x20 || c > 0x7e) {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                out.append((char) c);
            }
        }
        out.append('"');
    }
}
