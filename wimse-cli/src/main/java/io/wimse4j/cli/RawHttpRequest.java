package io.wimse4j.cli;

import io.wimse4j.core.request.HttpRequestFacts;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 request as text: request line, header lines, a blank line, an optional body. CRLF
 * and bare LF line endings are both accepted; repeated headers are kept in order; header names are
 * case-insensitive. Obsolete line folding is rejected. The body is kept but not interpreted.
 *
 * @param method        the request method
 * @param requestTarget the request target as written (origin-form or absolute-form)
 * @param targetUri     the absolute target URI: the absolute-form target, or {@code https://<Host><path>}
 * @param headers       header (name as written, value) pairs in order
 * @param body          the body, possibly empty
 */
record RawHttpRequest(String method, String requestTarget, URI targetUri, List<Map.Entry<String, String>> headers,
                             String body) {
    private static final String TCHARS = "!#$%&'*+-.^_`|~";

    /** Copies the header list. */
    public RawHttpRequest {
        headers = List.copyOf(headers);
    }

    /**
     * Parses {@code raw} (decoded as ISO-8859-1, as HTTP/1.1 field values are octets), throwing
     * {@link IllegalArgumentException} with a one-line explanation when it is not a request.
     */
    public static RawHttpRequest parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int pos = 0;
        // RFC 9112 2.2: a server SHOULD ignore at least one empty line before the request line.
        while (text.startsWith("\r\n", pos) || text.startsWith("\n", pos)) {
            pos += text.startsWith("\r\n", pos) ? 2 : 1;
        }
        String[] requestLine = nextLine(text, pos);
        if (requestLine == null) {
            throw new IllegalArgumentException("the request is empty");
        }
        pos = Integer.parseInt(requestLine[1]);
        String[] parts = requestLine[0].split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].startsWith("HTTP/")) {
            throw new IllegalArgumentException("the first line is not a request line 'METHOD target HTTP/1.1'");
        }
        String method = parts[0];
        if (!isToken(method)) {
            throw new IllegalArgumentException("the request method is not a valid token");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        int lineNo = 1;
        while (true) {
            String[] line = nextLine(text, pos);
            lineNo++;
            if (line == null) {
                throw new IllegalArgumentException("the request ends inside its headers, without the blank line that"
                        + " ends them (truncated?)");
            }
            pos = Integer.parseInt(line[1]);
            String l = line[0];
            if (l.isEmpty()) {
                break;
            }
            if (l.charAt(0) == ' ' || l.charAt(0) == '\t') {
                throw new IllegalArgumentException("line " + lineNo + ": obsolete header line folding is not supported");
            }
            int colon = l.indexOf(':');
            if (colon <= 0 || !isToken(l.substring(0, colon))) {
                throw new IllegalArgumentException("line " + lineNo + " is not a header 'Name: value'");
            }
            headers.add(Map.entry(l.substring(0, colon), l.substring(colon + 1).strip()));
        }
        String body = pos < text.length() ? text.substring(pos) : "";
        checkContentLength(headers, body.length()); // ISO-8859-1: one char per octet
        URI target = targetUri(parts[1], headers);
        return new RawHttpRequest(method, parts[1], target, headers, body);
    }

    /** A body shorter than its {@code Content-Length} is a truncated request (RFC 9112 6.3). */
    private static void checkContentLength(List<Map.Entry<String, String>> headers, int bodyOctets) {
        List<String> lengths = headers.stream().filter(h -> h.getKey().equalsIgnoreCase("Content-Length")).map(Map.Entry::getValue).toList();
        if (lengths.isEmpty()) {
            return;
        }
        if (lengths.size() > 1 || !lengths.get(0).matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException("the Content-Length header must appear once, as a number of octets");
        }
        long declared = Long.parseLong(lengths.get(0));
        if (bodyOctets < declared) {
            throw new IllegalArgumentException("the body has " + bodyOctets + " octets, fewer than its Content-Length "
                    + declared + " (truncated?)");
        }
        if (bodyOctets > declared) {
            // bytes a recipient would never read as this body, yet a signature or digest would cover them
            throw new IllegalArgumentException("the body has " + bodyOctets + " octets, more than its Content-Length "
                    + declared + " (a trailing newline after the body?)");
        }
    }

    /** The next line starting at {@code pos} and the position after its end, or null at the end. */
    private static String[] nextLine(String text, int pos) {
        if (pos >= text.length()) {
            return null;
        }
        int nl = text.indexOf('\n', pos);
        int end = nl < 0 ? text.length() : nl;
        int next = nl < 0 ? text.length() : nl + 1;
        if (end > pos && text.charAt(end - 1) == '\r') {
            end--;
        }
        return new String[] {text.substring(pos, end), Integer.toString(next)};
    }

    private static URI targetUri(String target, List<Map.Entry<String, String>> headers) {
        try {
            String lower = target.toLowerCase(Locale.ROOT);
            if (lower.startsWith("https://") || lower.startsWith("http://")) {
                URI uri = new URI(target);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("the absolute request target has no host");
                }
                return uri;
            }
            if (!target.startsWith("/")) {
                throw new IllegalArgumentException("the request target must be origin-form ('/path') or absolute ('https://...')");
            }
            List<String> hosts = headers.stream().filter(h -> h.getKey().equalsIgnoreCase("Host")).map(Map.Entry::getValue).toList();
            if (hosts.size() != 1 || hosts.get(0).isEmpty()) {
                throw new IllegalArgumentException("an origin-form request target needs exactly one non-empty Host header");
            }
            URI uri = new URI("https://" + hosts.get(0) + target);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("the Host header is not a valid host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the request target is not a valid URI: " + e.getReason());
        }
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TCHARS.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The facts a {@code RequestVerifier} needs: method, target URI and every header. */
    public HttpRequestFacts toFacts() {
        HttpRequestFacts.Builder b = HttpRequestFacts.builder(method, targetUri);
        headers.forEach(h -> b.header(h.getKey(), h.getValue()));
        return b.build();
    }

    @Override
    public String toString() {
        return "RawHttpRequest[" + method + " " + targetUri + ", " + headers.size() + " headers]";
    }
}
