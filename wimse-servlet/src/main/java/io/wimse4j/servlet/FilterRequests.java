package io.wimse4j.servlet;

import io.wimse4j.core.authz.AuthorizationRequest;
import io.wimse4j.core.error.ProblemDetails;
import io.wimse4j.core.id.WorkloadIdentifier;
import io.wimse4j.core.request.HttpRequestFacts;
import io.wimse4j.core.wpt.WimseHeaders;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** How {@link WimseFilter} reads a request (its facts, its application path, a bearer token) and writes its audit line. */
final class FilterRequests {
    private static final Logger AUDIT = LoggerFactory.getLogger(WimseFilter.AUDIT_LOGGER);
    private static final int MAX_LOGGED_LENGTH = 256;
    private static final String BEARER_PREFIX = "Bearer ";

    private FilterRequests() {
    }

    /**
     * For a request with a body ({@code Content-Length} above 0, or {@code Transfer-Encoding}), sets
     * {@code Connection: close} on the response: a refusal leaves the body of an unauthenticated request unread,
     * and a container that cannot drain it closes the connection after the answer (Jetty does when the body has
     * not all arrived). Without the header a client keeping connections alive sends its next request on a
     * connection being closed and fails with a transport error (RFC 9112 section 9.6). {@link #keepConnection}
     * takes it back for a request let through, whose body the application reads.
     */
    static void closeOnRefusal(HttpServletRequest request, HttpServletResponse response) {
        if (hasBody(request)) {
            response.setHeader("Connection", "close");
        }
    }

    /** Removes the {@code Connection: close} of {@link #closeOnRefusal} before the request goes on to the application. */
    static void keepConnection(HttpServletRequest request, HttpServletResponse response) {
        if (hasBody(request)) {
            response.setHeader("Connection", null);
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** Method, target URI and every value of every header, repeated ones kept in order. */
    static HttpRequestFacts facts(HttpServletRequest request, String method, URI target) {
        HttpRequestFacts.Builder facts = HttpRequestFacts.builder(method, target);
        Enumeration<String> names = request.getHeaderNames();
        if (names != null) {
            Set<String> seen = new HashSet<>();
            while (names.hasMoreElements()) {
                String name = names.nextElement();
                // getHeaders(name) is case-insensitive: a name listed twice in two cases must not double its values
                if (name == null || !seen.add(name.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                Enumeration<String> values = request.getHeaders(name);
                while (values != null && values.hasMoreElements()) {
                    String v = values.nextElement();
                    if (v != null) {
                        facts.header(name, v);
                    }
                }
            }
        }
        return facts.build();
    }

    /**
     * True when the request carries no WIMSE header, no {@code Authorization: WPT} (P2-3), but an
     * {@code Authorization: Bearer} header: only then may a bearer token name the caller (WIT-12).
     */
    static boolean isBearerOnly(HttpServletRequest request) {
        if (request.getHeader(WimseHeaders.WORKLOAD_IDENTITY_TOKEN) != null
                || request.getHeader(WimseHeaders.WORKLOAD_PROOF_TOKEN) != null) {
            return false;
        }
        boolean bearerSeen = false;
        Enumeration<String> values = request.getHeaders(WimseHeaders.AUTHORIZATION);
        while (values != null && values.hasMoreElements()) {
            String value = values.nextElement();
            if (WimseHeaders.isWptAuthorization(value)) {
                return false; // proved with a WPT: no bearer token of this request names the caller (P2-3)
            }
            bearerSeen |= bearerToken(value) != null;
        }
        return bearerSeen;
    }

    /**
     * The target URI of {@code request}: the configured external {@code base} followed by the raw path and
     * query, never {@code Host} or {@code X-Forwarded-Host} (V-6, HS-4).
     *
     * @throws IllegalArgumentException when the request URI is not an absolute path or cannot form a URI
     */
    static URI targetUri(String base, HttpServletRequest request) {
        String rawPath = request.getRequestURI();
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw new IllegalArgumentException("request URI is not an absolute path");
        }
        String query = request.getQueryString();
        return URI.create(base + rawPath + (query == null ? "" : "?" + query));
    }

    /** True when the request carries a WPT: a {@code Workload-Proof-Token} or an {@code Authorization: WPT} (P2-1). */
    static boolean hasWpt(HttpServletRequest request) {
        if (request.getHeader(WimseHeaders.WORKLOAD_PROOF_TOKEN) != null) {
            return true;
        }
        Enumeration<String> values = request.getHeaders(WimseHeaders.AUTHORIZATION);
        while (values != null && values.hasMoreElements()) {
            if (WimseHeaders.isWptAuthorization(values.nextElement())) {
                return true;
            }
        }
        return false;
    }

    /** The token of an {@code Authorization} value with scheme {@code Bearer} (any case), or {@code null}. */
    static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String v = authorization.trim();
        if (v.length() <= BEARER_PREFIX.length() || !v.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
            return null;
        }
        String token = v.substring(BEARER_PREFIX.length()).trim();
        // an RFC 6750 b64token has no comma or whitespace: a value with them is several fields folded together
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                return null;
            }
        }
        return token.isEmpty() ? null : token;
    }

    /** The decoded, normalized path within the application, which authorization matches. */
    static String applicationPath(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String p = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return p.isEmpty() ? "/" : p;
    }

    static void audit(AuthorizationRequest asked, WorkloadIdentifier caller, String auth, String decision, String reason) {
        audit(asked.method().orElse(null), asked.path().orElse(null), caller, auth, decision, reason);
    }

    /** The audit name of a problem: its code in upper case with {@code _}, i.e. the {@code Reason} or {@link FilterProblem} name. */
    static String auditName(ProblemDetails problem) {
        return problem.code().toUpperCase(Locale.ROOT).replace('-', '_');
    }

    static void audit(String method, String path, WorkloadIdentifier caller, String auth, String decision, String reason) {
        if (AUDIT.isInfoEnabled()) {
            AUDIT.info("method={} path={} caller={} decision={} reason={} auth={}", safe(method), safe(path),
                    caller == null ? "-" : safe(caller.value()), decision, reason, auth);
        }
    }

    /** No control characters or spaces (log injection), bounded length. */
    static String safe(String s) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_LOGGED_LENGTH + 3));
        for (int i = 0; i < s.length() && sb.length() < MAX_LOGGED_LENGTH; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) || Character.isWhitespace(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
        }
        if (s.length() > MAX_LOGGED_LENGTH) {
            sb.append("...");
        }
        return sb.toString();
    }
}
