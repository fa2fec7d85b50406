package io.wimse4j.httpsig.sfv;

/** The character classes of RFC 9651 (ABNF of RFC 5234 and RFC 9110). */
final class Chars {
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    private Chars() {
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isLcAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }

    /** tchar (RFC 9110 section 5.6.2), {@code :} or {@code /}: what follows the first character of a Token. */
    static boolean isTokenChar(char c) {
        return isAlpha(c) || isDigit(c) || c == ':' || c == '/' || TCHAR_SYMBOLS.indexOf(c) >= 0;
    }

    /** What follows the first character of a key: lcalpha, DIGIT, {@code _ - . *}. */
    static boolean isKeyChar(char c) {
        return isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*';
    }

    /** A key: {@code ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )}. */
    static boolean isKey(String key) {
        if (key.isEmpty() || !(isLcAlpha(key.charAt(0)) || key.charAt(0) == '*')) {
            return false;
        }
        for (int i = 1; i < key.length(); i++) {
            if (!isKeyChar(key.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A character for a message: itself in quotes when printable ASCII, otherwise its code point. */
    static String describe(char c) {
        return c > 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    /**
     * Checks a key.
     *
     * @throws IllegalArgumentException when {@code key} is no key
     */
    static String requireKey(String key) {
        if (key == null || !isKey(key)) {
            throw new IllegalArgumentException("a key is a lower-case letter or * followed by lower-case letters, "
                    + "digits, _ - . *: " + (key == null ? "null" : "'" + key.replaceAll("[^\\x21-\\x7e]", "?") + "'"));
        }
        return key;
    }
}
