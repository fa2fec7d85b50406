package io.wimse4j.server.testing;

import io.wimse4j.server.IdentityServer;
import io.wimse4j.server.ServerConfig;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs an Identity Server in its own JVM for crash tests: {@code ServerMain <stateDir>} starts it on
 * 127.0.0.1, port 0, HTTPS, with the same configuration as {@link ServerHarness} (trust domain
 * {@value ServerHarness#TD}, base URI {@value ServerHarness#BASE}) and the system clock, prints
 * {@code PORT <n>} on stdout and blocks until the process is killed. No shutdown hook: the test kills
 * it with SIGKILL to simulate a crash.
 */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ServerMain <stateDir>");
            System.exit(2);
        }
        ServerConfig config = ServerConfig.builder(ServerHarness.TD).baseUri(URI.create(ServerHarness.BASE)).port(0)
                .stateDir(Path.of(args[0])).maxWitTtl(Duration.ofMinutes(10)).defaultWitTtl(Duration.ofMinutes(5))
                .jwksMaxAge(Duration.ofSeconds(300)).build();
        IdentityServer server = IdentityServer.builder(config).build().start();
        System.out.println("PORT " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
