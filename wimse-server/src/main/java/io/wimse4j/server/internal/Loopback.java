package io.wimse4j.server.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Loopback checks of configured addresses: {@code admin-listen} and plain-HTTP JWKS URLs. Never resolves a name through DNS. */
public final class Loopback {
    private Loopback() {
    }

    /** True for {@code localhost} and literal loopback addresses (never resolved through DNS). */
    public static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false; // a name: never resolved here
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Parses {@code admin-listen} ({@code HOST:PORT}, loopback host); see {@code ServerConfig.parseAdminListen}. */
    public static InetSocketAddress parseAdminListen(String value) {
        String v = value.trim();
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new IllegalArgumentException("admin-listen must be HOST:PORT, e.g. 127.0.0.1:9443: " + value);
        }
        String host = v.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("admin-listen: not a port: " + v.substring(colon + 1));
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("admin-listen: the port must be between 0 and 65535");
        }
        if (!isLoopback(host)) {
            throw new IllegalArgumentException("admin-listen must be a loopback address (127.0.0.1, [::1] or localhost),"
                    + " never " + host + ": the admin API is for the local operator only");
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new InetSocketAddress(literal.equalsIgnoreCase("localhost") ? "127.0.0.1" : literal, port);
    }
}
