package io.wimse4j.x509.tls;

import java.util.List;
import java.util.Locale;

/** RFC 9525 DNS-ID matching: case-insensitive, one wildcard as the whole left-most label only. */
final class DnsId {
    private DnsId() {
    }

    static boolean matchesAny(String host, List<String> dnsNames) {
        String h = strip(host);
        for (String name : dnsNames) {
            if (matches(h, strip(name))) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String host, String name) {
        if (name.isEmpty() || host.isEmpty()) {
            return false;
        }
        if (name.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && name.indexOf('*', 1) < 0 && host.substring(dot).equals(name.substring(1))
                    && name.substring(2).indexOf('.') > 0; // "*.com" never matches: at least two labels after it
        }
        return name.indexOf('*') < 0 && host.equals(name);
    }

    private static String strip(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return l.endsWith(".") ? l.substring(0, l.length() - 1) : l;
    }
}
