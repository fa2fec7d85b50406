package io.wimse4j.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

    /**
     * Sends {@code request} and reads the body up to {@code maxBodyBytes}. With a request timeout, the
     * whole body must arrive within it too: the JDK's timeout ends with the response headers, so a server
     * that sends headers and then stalls the body would otherwise hold the calling thread (a trust-bundle
     * refresh, an issuance) for as long as it keeps the connection open (issue 15's fault suite).
     */
    static Response send(HttpClient client, HttpRequest request, int maxBodyBytes) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        InputStream in = response.body();
        try (in) {
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBodyBytes) {
                throw new TooLargeException(maxBodyBytes);
            }
            byte[] body = request.timeout().isPresent()
                    ? readBefore(in, maxBodyBytes + 1, start + request.timeout().get().toNanos(), request.timeout().get())
                    : in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw new TooLargeException(maxBodyBytes);
            }
            return new Response(response.statusCode(), response.headers(), new String(body, StandardCharsets.UTF_8));
        }
    }

    /** Reads up to {@code max} bytes of {@code in} on a reader thread, giving up (and closing it) at {@code deadline}. */
    private static byte[] readBefore(InputStream in, int max, long deadline, Duration timeout) throws IOException, InterruptedException {
        java.util.concurrent.Future<byte[]> read = BODY_READERS.submit(() -> in.readNBytes(max));
        try {
            return read.get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            read.cancel(true);
            in.close(); // cancels the exchange, so the reader thread ends too
            throw new java.net.http.HttpTimeoutException("the response body did not arrive within " + timeout.toMillis() + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(describe((Exception) e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            read.cancel(true);
            throw e;
        }
    }

    /** Daemon threads that read response bodies under a deadline (idle ones end after 30 s). */
    private static final java.util.concurrent.ExecutorService BODY_READERS = new java.util.concurrent.ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "wimse-http-body");
                t.setDaemon(true);
                return t;
            });
}
