package io.wimse4j.core.error;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One kind of RFC 9457 problem wimse4j answers with (V-14): a stable {@link #code()}, a
 * {@link #title()}, the HTTP {@link #status()}, and the problem {@link #type()} URI derived from
 * the code. Implemented by core's {@link Reason} (credential and request failures), by the Identity
 * Server's problem codes and by the servlet filter's own problems, so that every wimse4j problem
 * body has the same shape and carries its {@code code} member (see {@link ProblemDetails}).
 *
 * <p>The code is the stable, machine-readable name of the problem: lower-case letters and digits in
 * hyphen-separated words, e.g. {@code audience-mismatch}, {@code join-token-invalid},
 * {@code forbidden}. Codes are unique across all wimse4j problem types, are part of the public API
 * and never change meaning. The type URI is always {@link #BASE} followed by the code; clients and
 * tests compare codes, never type URIs.
 */
public interface ProblemType {
    /** Base of every wimse4j problem type URI: the type is this base followed by the code. */
    URI BASE = URI.create("https://wimse4j.io/problems/");

    /** Longest code accepted by {@link #isCode(String)}. */
    int MAX_CODE_LENGTH = 64;

    /** The stable code, e.g. {@code audience-mismatch}: lower-case words joined by {@code -}. */
    String code();

    /** A short human-readable title, the same for every occurrence of the problem. */
    String title();

    /** The HTTP status answered with this problem (4xx or 5xx). */
    int status();

    /** The RFC 9457 {@code type} URI: {@link #BASE} followed by {@link #code()}. */
    default URI type() {
        return typeOf(code());
    }

    /**
     * The type URI of {@code code}: {@link #BASE} followed by the code.
     *
     * @throws IllegalArgumentException when {@code code} is not a valid code ({@link #isCode(String)})
     */
    static URI typeOf(String code) {
        if (!isCode(code)) {
            throw new IllegalArgumentException("not a problem code (lower-case words joined by '-')");
        }
        return URI.create(BASE + code);
    }

    /** The code of a wimse4j problem {@code type} URI, or empty when the URI is not {@link #BASE} followed by a code. */
    static Optional<String> codeOf(URI type) {
        Objects.requireNonNull(type, "type");
        String s = type.toString();
        String base = BASE.toString();
        if (!s.startsWith(base)) {
            return Optional.empty();
        }
        String code = s.substring(base.length());
        return isCode(code) ? Optional.of(code) : Optional.empty();
    }

    /**
     * Whether {@code s} is a well-formed code: 1 to {@value #MAX_CODE_LENGTH} characters, words of
     * {@code [a-z0-9]} starting with a letter, joined by single hyphens ({@code [a-z][a-z0-9]*(-[a-z0-9]+)*}).
     */
    static boolean isCode(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_CODE_LENGTH || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
            return false;
        }
        char previous = 'a';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alnum && !(c == '-' && previous != '-')) {
                return false;
            }
            previous = c;
        }
        return previous != '-';
    }
}
