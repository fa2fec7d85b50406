package io.wimse4j.client;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;

/**
 * The transport rules every wimse4j HTTP client shares (SEC-1): TLS only unless plain HTTP is
 * explicitly allowed, and never a client that follows redirects, since a redirect would take the
 * answer from (or send the tokens to) a server other than the one configured.
 */
final class Connections {
    private Connections() {
    }

    /** Refuses {@code uri} unless it is https, or http while {@code allowInsecureHttp}. */
    static void requireSecure(URI uri, boolean allowInsecureHttp, String what) {
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowInsecureHttp)) {
            throw new IllegalStateException(what + " must be https (SEC-1): " + uri);
        }
    }

    /**
     * The client to use: {@code given} (which must not follow redirects), or a new one with
     * {@code connectTimeout}, no redirects and {@code sslContext} when set. Giving both is an error.
     */
    static HttpClient client(HttpClient given, SSLContext sslContext, Duration connectTimeout) {
        if (given != null && sslContext != null) {
            throw new IllegalStateException("set either httpClient or sslContext, not both");
        }
        if (given != null) {
            refuseRedirects(given);
            return given;
        }
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER);
        if (sslContext != null) {
            b.sslContext(sslContext);
        }
        return b.build();
    }

    /** Refuses a client that follows redirects. */
    static void refuseRedirects(HttpClient client) {
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalStateException("the given HttpClient must not follow redirects (Redirect.NEVER)");
        }
    }
}
