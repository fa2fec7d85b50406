package io.wimse4j.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * Checks on the address a command listens on: plain HTTP only on loopback (SEC-1: tokens in clear text
 * must never leave the machine), and whether the address and port can be bound at all, asked before a
 * server writes any state so that a port in use leaves nothing behind.
 */
final class Loopback {
    private Loopback() {
    }

    /** A usage error unless {@code bind} names only loopback addresses. */
    static void require(String bind, String option) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bind);
        } catch (UnknownHostException e) {
            throw CliException.usage("cannot resolve the bind address '" + bind + "': " + IoErrors.describe(e));
        }
        for (InetAddress a : addresses) {
            if (!a.isLoopbackAddress()) {
                throw CliException.usage(option + " sends tokens in clear text and is for loopback only:"
                        + " " + bind + " (" + a.getHostAddress() + ") is not a loopback address (SEC-1)");
            }
        }
    }

    /**
     * A usage error unless {@code host}, where a client sends clear text, is {@code localhost} or a literal
     * loopback address: a name is resolved again when connecting, so checking what it resolves to now proves
     * nothing (DNS rebinding).
     */
    static void requireLiteral(String host, String option) {
        boolean literal = host.equalsIgnoreCase("localhost") || host.matches("[0-9.]+") || host.contains(":");
        if (!literal) {
            throw CliException.usage(option + " sends tokens in clear text and is for loopback only: give localhost or a"
                    + " loopback address such as 127.0.0.1, not the name " + host + " (SEC-1)");
        }
        require(host, option);
    }

    /** A usage error when {@code bind:port} cannot be listened on now (port 0: any free port, always possible). */
    static void probe(String bind, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(bind), port));
        } catch (IOException | SecurityException e) {
            throw CliException.usage("cannot listen on " + bind + ":" + port + ": " + IoErrors.describe(e));
        }
    }
}
