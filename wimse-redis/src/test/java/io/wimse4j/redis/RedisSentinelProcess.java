package io.wimse4j.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis master ({@link RedisServerProcess}) watched by one real Redis Sentinel
 * ({@code redis-sentinel}, or {@code redis-server <conf> --sentinel}) on free loopback ports,
 * without persistence. The Sentinel gets a writable configuration file in a temporary directory
 * (Sentinel rewrites it) and monitors the master as {@value #MASTER_NAME} with quorum 1. The master
 * can be stopped and started again on the same port; the Sentinel keeps running.
 */
final class RedisSentinelProcess implements AutoCloseable {
    static final String MASTER_NAME = "mymaster";
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final RedisServerProcess master;
    private final Path dir;
    private final int sentinelPort;
    private final String password;
    private Process sentinel;

    private RedisSentinelProcess(RedisServerProcess master, Path dir, int sentinelPort, String password) {
        this.master = master;
        this.dir = dir;
        this.sentinelPort = sentinelPort;
        this.password = password;
    }

    /** A master without a password and a Sentinel monitoring it. */
    static RedisSentinelProcess start() throws IOException, InterruptedException {
        return start(null);
    }

    /**
     * A master and a Sentinel monitoring it; with a non-null {@code password} the master requires it
     * ({@code requirepass}) and the Sentinel authenticates with it ({@code sentinel auth-pass}).
     */
    static RedisSentinelProcess start(String password) throws IOException, InterruptedException {
        List<String> command = sentinelCommand();
        RedisServerProcess master = RedisServerProcess.start(
                password == null ? List.of() : List.of("--requirepass", password));
        RedisSentinelProcess p = null;
        try {
            p = new RedisSentinelProcess(master, Files.createTempDirectory("wimse-redis-sentinel"),
                    RedisServerProcess.freePort(), password);
            p.startSentinel(command);
            return p;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (p != null) {
                p.close();
            } else {
                master.stop();
            }
            throw e;
        }
    }

    /** {@code redis-sentinel <conf>} when that binary exists, else {@code redis-server <conf> --sentinel}. */
    private static List<String> sentinelCommand() {
        return RedisServerProcess.lookupExecutable("redis-sentinel")
                .map(p -> List.of(p.toString()))
                .orElseGet(() -> List.of(RedisServerProcess.findExecutable("redis-server").toString(), "--sentinel"));
    }

    private void startSentinel(List<String> command) throws IOException, InterruptedException {
        Path conf = dir.resolve("sentinel.conf");
        StringBuilder text = new StringBuilder()
                .append("port ").append(sentinelPort).append('\n')
                .append("bind 127.0.0.1\n")
                .append("dir ").append(dir).append('\n')
                .append("sentinel monitor ").append(MASTER_NAME).append(" 127.0.0.1 ").append(master.port()).append(" 1\n")
                .append("sentinel down-after-milliseconds ").append(MASTER_NAME).append(" 1000\n");
        if (password != null) {
            text.append("sentinel auth-pass ").append(MASTER_NAME).append(' ').append(password).append('\n');
        }
        Files.writeString(conf, text.toString(), StandardCharsets.UTF_8);
        // redis-server wants the config file first: "redis-server <conf> --sentinel"
        List<String> full = new ArrayList<>(List.of(command.get(0), conf.toString()));
        full.addAll(command.subList(1, command.size()));
        sentinel = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (!masterPortFromSentinel().equals(Integer.toString(master.port()))) {
            if (!sentinel.isAlive()) {
                throw new IllegalStateException("the Sentinel exited with status " + sentinel.exitValue()
                        + " while starting on port " + sentinelPort);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the Sentinel on port " + sentinelPort + " did not name the master"
                        + " within " + START_TIMEOUT_MILLIS + " ms");
            }
            Thread.sleep(50);
        }
    }

    /** The master port the Sentinel answers to {@code SENTINEL get-master-addr-by-name}, or "" if none. */
    String masterPortFromSentinel() {
        RedisClient client = RedisClient.create();
        try (var c = client.connectSentinel(RedisURI.create("redis://127.0.0.1:" + sentinelPort))) {
            c.setTimeout(java.time.Duration.ofSeconds(1));
            var addr = c.sync().getMasterAddrByName(MASTER_NAME);
            return addr instanceof InetSocketAddress a ? Integer.toString(a.getPort()) : "";
        } catch (RuntimeException e) {
            return "";
        } finally {
            client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(2));
        }
    }

    RedisServerProcess master() {
        return master;
    }

    int sentinelPort() {
        return sentinelPort;
    }

    /** A {@code redis-sentinel://} URI (Lettuce syntax) naming the Sentinel and the master set. */
    String uri() {
        return "redis-sentinel://127.0.0.1:" + sentinelPort + "#" + MASTER_NAME;
    }

    /** Runs {@code f} on a direct connection to the master (not through the Sentinel). */
    <T> T onMaster(java.util.function.Function<StatefulRedisConnection<String, String>, T> f) {
        RedisURI uri = RedisURI.create("redis://127.0.0.1:" + master.port());
        if (password != null) {
            uri.setAuthentication(password.toCharArray());
        }
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return f.apply(c);
        } finally {
            client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            if (sentinel != null) {
                sentinel.destroy();
                if (!sentinel.waitFor(10, TimeUnit.SECONDS)) {
                    sentinel.destroyForcibly();
                    sentinel.waitFor(10, TimeUnit.SECONDS);
                }
                sentinel = null;
            }
        } finally {
            master.stop();
            deleteDir();
        }
    }

    private void deleteDir() {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
