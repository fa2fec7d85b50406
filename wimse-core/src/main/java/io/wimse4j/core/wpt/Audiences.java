package io.wimse4j.core.wpt;

import java.net.URI;
import java.util.Locale;

/**
 * The WPT audience rules (WPT-4, V-6): a sender's default {@code aud} is the target URI without
 * query and fragment; a receiver compares after a conservative RFC 3986 normalization (scheme and
 * host in lower case, default port dropped, empty path as {@code /}, query and fragment removed).
 * Percent-encodings and path segments are compared as they are.
 */
public final class Audiences {
    private Audiences() {
    }

    /** The target URI without query and fragment, as a sender puts it in {@code aud} (WPT-4). */
    public static String of(URI target) {
        if (!target.isAbsolute() || target.getRawAuthority() == null) {
            throw new IllegalArgumentException("target URI must be absolute with an authority");
        }
        return target.getScheme() + "://" + target.getRawAuthority() + (target.getRawPath() == null ? "" : target.getRawPath());
    }

    /**
     * The comparison form of an audience value, or the value itself when it is not an absolute
     * http(s) URI with a host (such a value must then match exactly).
     */
    public static String normalize(String audience) {
        URI u;
        try {
            u = new URI(audience);
        } catch (java.net.URISyntaxException e) {
            return audience;
        }
        if (!u.isAbsolute() || u.getHost() == null || u.getRawUserInfo() != null) {
            return audience;
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
    }
}
