package io.wimse4j.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster of {@code n} masters (no replicas) on free loopback ports, built with
 * {@code redis-cli --cluster create}, without persistence. A node can be stopped and started again
 * on the same ports with its cluster configuration file, and rejoins.
 */
final class RedisClusterProcess implements AutoCloseable {
    private final List<RedisServerProcess> nodes = new ArrayList<>();
    private final Path dir;

    private RedisClusterProcess(Path dir) {
        this.dir = dir;
    }

    static RedisClusterProcess start(int n) throws IOException, InterruptedException {
        RedisClusterProcess cluster = new RedisClusterProcess(Files.createTempDirectory("wimse-redis-cluster"));
        try {
            for (int i = 0; i < n; i++) {
                Path nodeDir = Files.createDirectory(cluster.dir.resolve("node" + i));
                cluster.nodes.add(RedisServerProcess.start(List.of(
                        "--cluster-enabled", "yes",
                        "--cluster-port", Integer.toString(RedisServerProcess.freePort()),
                        "--cluster-config-file", nodeDir.resolve("nodes.conf").toString(),
                        "--cluster-node-timeout", "2000",
                        "--dir", nodeDir.toString())));
            }
            List<String> command = new ArrayList<>(List.of(RedisServerProcess.findExecutable("redis-cli").toString(),
                    "--cluster", "create"));
            cluster.nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
            command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process create = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!create.waitFor(30, TimeUnit.SECONDS) || create.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed");
            }
            cluster.awaitHealthy();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    List<RedisServerProcess> nodes() {
        return nodes;
    }

    /** A {@code redis-cluster://} URI naming only the first node as seed. */
    String uri() {
        return "redis-cluster://127.0.0.1:" + nodes.get(0).port();
    }

    /** Waits until every running node reports {@code cluster_state:ok}. */
    void awaitHealthy() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!healthy()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the Redis cluster did not become healthy within 30 s");
            }
            Thread.sleep(100);
        }
    }

    private boolean healthy() {
        try {
            for (RedisServerProcess node : nodes) {
                if (!node.isRunning() || !command(node, c -> c.sync().clusterInfo()).contains("cluster_state:ok")) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Keys stored on {@code node}. */
    long keyCount(RedisServerProcess node) {
        return command(node, c -> c.sync().dbsize());
    }

    /** True when {@code node} itself holds {@code key} (a node that does not own its slot answers MOVED). */
    boolean holds(RedisServerProcess node, String key) {
        try {
            return command(node, c -> c.sync().exists(key)) == 1L;
        } catch (io.lettuce.core.RedisCommandExecutionException e) {
            if (String.valueOf(e.getMessage()).startsWith("MOVED")) {
                return false;
            }
            throw e;
        }
    }

    /** The Cluster slot of {@code key}, as the server computes it. */
    long slot(String key) {
        return command(nodes.get(0), c -> c.sync().clusterKeyslot(key));
    }

    private static <T> T command(RedisServerProcess node, java.util.function.Function<StatefulRedisConnection<String, String>, T> f) {
        RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + node.port()));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return f.apply(c);
        } finally {
            client.shutdown();
        }
    }

    /** Stops every node and removes the cluster's temporary directory (its nodes.conf files). */
    @Override
    public void close() throws InterruptedException {
        for (RedisServerProcess node : nodes) {
            node.stop();
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
