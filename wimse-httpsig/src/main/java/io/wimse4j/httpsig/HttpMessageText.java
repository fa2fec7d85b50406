package io.wimse4j.httpsig;

import io.wimse4j.core.request.HttpRequestFacts;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP/1.1 message as text, the form of the draft's examples and of {@code wimse httpsig sign|verify}:
 * a request line or status line, header lines, an empty line, the body. Line ends are LF or CRLF; an
 * obsolete line folding is refused. The body is exactly {@code Content-Length} bytes when that header is
 * present (what follows is ignored) and otherwise the rest of the text, unless the rest is only line
 * ends, which is no body. For tools and tests; a server reads messages from its HTTP stack. Immutable.
 */
public final class HttpMessageText {
    /** Largest text accepted, in bytes. */
    public static final int MAX_LENGTH = 16 * 1024 * 1024;

    private final String startLine;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;

    private HttpMessageText(String startLine, List<Map.Entry<String, String>> headers, byte[] body) {
        this.startLine = startLine;
        this.headers = List.copyOf(headers);
        this.body = body;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException when it is not an HTTP/1.1 message as described above
     */
    public static HttpMessageText parse(byte[] text) {
        Objects.requireNonNull(text, "text");
        if (text.length > MAX_LENGTH) {
            throw new IllegalArgumentException("an HTTP message text is at most " + MAX_LENGTH + " bytes");
        }
        int pos = 0;
        String start = null;
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        while (true) {
            int nl = indexOf(text, (byte) '\n', pos);
            if (nl < 0) {
                throw new IllegalArgumentException("the header section does not end with an empty line");
            }
            int end = nl > pos && text[nl - 1] == '\r' ? nl - 1 : nl;
            String line = new String(text, pos, end - pos, StandardCharsets.ISO_8859_1);
            pos = nl + 1;
            if (start == null) {
                if (line.isEmpty()) {
                    throw new IllegalArgumentException("the message has no start line");
                }
                start = line;
                continue;
            }
            if (line.isEmpty()) {
                break;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new IllegalArgumentException("obsolete line folding is not accepted (RFC 9112 section 5.2)");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("a header line has no field name and colon");
            }
            if (!isToken(line, colon)) {
                throw new IllegalArgumentException("a field name is a token, with no whitespace before its colon (RFC 9112 section 5.1)");
            }
            headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        byte[] rest = Arrays.copyOfRange(text, pos, text.length);
        return new HttpMessageText(start, headers, body(headers, rest));
    }

    private static byte[] body(List<Map.Entry<String, String>> headers, byte[] rest) {
        String length = null;
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase("content-length")) {
                if (length != null && !length.equals(h.getValue())) {
                    throw new IllegalArgumentException("'Content-Length' is repeated with different values");
                }
                length = h.getValue();
            }
        }
        if (length != null) {
            if (length.isEmpty() || length.length() > 9 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'Content-Length' is not a number of at most 9 digits (RFC 9110 section 8.6)");
            }
            int n = Integer.parseInt(length);
            if (n < 0 || n > rest.length) {
                throw new IllegalArgumentException("'Content-Length' says " + n + " bytes but " + rest.length + " follow");
            }
            return Arrays.copyOf(rest, n);
        }
        for (byte b : rest) {
            if (b != '\n' && b != '\r') {
                return rest;
            }
        }
        return new byte[0];
    }

    /** RFC 9110 section 5.6.2: {@code token = 1*tchar}. */
    private static boolean isToken(String line, int end) {
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** True for a request (its start line does not begin with {@code HTTP/}). */
    public boolean isRequest() {
        return !startLine.startsWith("HTTP/");
    }

    /** The start line. */
    public String startLine() {
        return startLine;
    }

    /** The header lines, in order, names as written. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The body (empty for none); a copy. */
    public byte[] body() {
        return body.clone();
    }

    /** All values of header {@code name} (any case), in order. */
    public List<String> values(String name) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                out.add(h.getValue());
            }
        }
        return out;
    }

    /**
     * The request's facts. The target URI is {@code base} (scheme and authority, e.g. {@code https://svcb.example.com})
     * followed by an origin-form target, or the absolute-form target itself; with {@code base} null it is
     * {@code https://} and the {@code Host} header, as for the draft's examples.
     */
    public HttpRequestFacts requestFacts(URI base) {
        String[] parts = startLine.split(" ", -1);
        if (!isRequest() || parts.length != 3 || !parts[2].startsWith("HTTP/")) {
            throw new IllegalArgumentException("not a request line: method, target, version");
        }
        String target = parts[1];
        URI uri;
        if (target.startsWith("/")) {
            String origin;
            if (base != null) {
                origin = base.getScheme() + "://" + base.getRawAuthority();
            } else {
                List<String> host = values("Host");
                if (host.size() != 1) {
                    throw new IllegalArgumentException("an origin-form request needs one 'Host' header or a base URI");
                }
                origin = "https://" + host.get(0);
            }
            uri = URI.create(origin + target);
        } else {
            uri = URI.create(target);
        }
        HttpRequestFacts.Builder b = HttpRequestFacts.builder(parts[0], uri);
        headers.forEach(h -> b.header(h.getKey(), h.getValue()));
        return b.build();
    }

    /** The response's facts. */
    public HttpResponseFacts responseFacts() {
        String[] parts = startLine.split(" ", 3);
        if (isRequest() || parts.length < 2 || parts[1].length() != 3) {
            throw new IllegalArgumentException("not a status line: version, three-digit status, reason");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a three-digit status");
        }
        HttpResponseFacts.Builder b = HttpResponseFacts.builder(status);
        headers.forEach(h -> b.header(h.getKey(), h.getValue()));
        return b.build();
    }

    /** This message with {@code added} header lines after its own, as text with LF line ends. */
    public byte[] with(Map<String, String> added) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1024);
        StringBuilder head = new StringBuilder(startLine).append('\n');
        headers.forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append('\n'));
        added.forEach((k, v) -> head.append(k).append(": ").append(v).append('\n'));
        head.append('\n');
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        headers.forEach(h -> names.add(h.getKey().toLowerCase(Locale.ROOT)));
        return "HttpMessageText[" + (isRequest() ? "request" : "response") + ", headers=" + names + ", body=" + body.length + " bytes]";
    }
}
