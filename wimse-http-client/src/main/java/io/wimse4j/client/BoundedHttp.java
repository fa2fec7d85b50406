package io.wimse4j.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP exchange whose response body is read only up to a size limit: a declared
 * {@code Content-Length} above the limit is refused before reading, and reading stops one byte
 * past the limit otherwise, so a hostile or broken server cannot make the client buffer without bound.
 */
final class BoundedHttp {
    private BoundedHttp() {
    }

    /** A response: status, headers and the body as UTF-8 text. Never printed with its body. */
    record Response(int status, HttpHeaders headers, String body) {
        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        boolean isJson() {
            String type = header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            return type.startsWith("application/") && type.contains("json");
        }

        @Override
        public String toString() {
            return "Response[status=" + status + ", " + body.length() + " chars]";
        }
    }

    /** The response body exceeds the limit. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(int limit) {
            super("the response body is larger than " + limit + " bytes");
        }
    }

    /** A short description of a failure for logs and errors: the message, or the exception type when it has none. */
    static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    static Response send(HttpClient client, HttpRequest request, int maxBodyBytes) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBodyBytes) {
                throw new TooLargeException(maxBodyBytes);
            }
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw new TooLargeException(maxBodyBytes);
            }
            return new Response(response.statusCode(), response.headers(), new String(body, StandardCharsets.UTF_8));
        }
    }
}
