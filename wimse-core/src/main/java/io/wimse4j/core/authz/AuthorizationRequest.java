package io.wimse4j.core.authz;

import java.util.Objects;
import java.util.Optional;

/**
 * What an authenticated caller asks to do, as far as the transport knows it: for an HTTP request
 * its method and the path within the application ({@link #http(String, String)}); for a mutual TLS
 * handshake, where the peer is authorized before any request exists, nothing ({@link #none()}),
 * and a {@link CallerAuthorizer} decides on the caller's identifier alone (WIC-4). Immutable.
 *
 * <p>The caller itself is not part of the request: it is always passed separately, as a verified
 * {@code WorkloadIdentifier}, so that authorization scopes it by trust domain (ID-2).
 */
public final class AuthorizationRequest {
    /** Longest method accepted. */
    public static final int MAX_METHOD_LENGTH = 32;

    private static final AuthorizationRequest NONE = new AuthorizationRequest(null, null);
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    private final String method;
    private final String path;

    private AuthorizationRequest(String method, String path) {
        this.method = method;
        this.path = path;
    }

    /** No method and no path: a connection-level decision such as a TLS handshake. */
    public static AuthorizationRequest none() {
        return NONE;
    }

    /**
     * An HTTP request.
     *
     * @param method the request method as received (an RFC 9110 token, at most {@value #MAX_METHOD_LENGTH}
     *               characters; methods are case-sensitive and kept as given)
     * @param path   the decoded path within the application, starting with {@code /}; not the query
     * @throws IllegalArgumentException when the method is not a token or the path does not start with {@code /}
     */
    public static AuthorizationRequest http(String method, String path) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        if (method.isEmpty() || method.length() > MAX_METHOD_LENGTH || !method.chars().allMatch(AuthorizationRequest::tchar)) {
            throw new IllegalArgumentException("the method is not an HTTP method token");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the path must start with '/'");
        }
        return new AuthorizationRequest(method, path);
    }

    /** The HTTP method, when the caller sent a request. */
    public Optional<String> method() {
        return Optional.ofNullable(method);
    }

    /** The path within the application, when the caller sent a request. */
    public Optional<String> path() {
        return Optional.ofNullable(path);
    }

    private static boolean tchar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TCHAR_SYMBOLS.indexOf(c) >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthorizationRequest r && Objects.equals(method, r.method) && Objects.equals(path, r.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path);
    }

    @Override
    public String toString() {
        return method == null ? "AuthorizationRequest[none]" : "AuthorizationRequest[" + method + " " + path + "]";
    }
}
