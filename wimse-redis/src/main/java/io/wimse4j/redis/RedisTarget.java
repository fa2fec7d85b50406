package io.wimse4j.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisScriptingCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis deployment a URI names: a single server or Sentinel set ({@code redis://},
 * {@code rediss://}, {@code redis-sentinel://}, parsed by Lettuce) or a Redis Cluster
 * ({@code redis-cluster://[[user:]password@]host:port[,host:port...]}, {@code rediss-cluster://}
 * for TLS), whose listed nodes are seeds for topology discovery.
 *
 * <p>Parse errors never quote the URI: it may carry a password.
 */
final class RedisTarget {
    static final String CLUSTER = "redis-cluster://";
    static final String CLUSTER_TLS = "rediss-cluster://";
    private static final int MAX_SEEDS = 64;

    private final List<RedisURI> seeds;
    private final boolean cluster;

    private RedisTarget(List<RedisURI> seeds, boolean cluster) {
        this.seeds = List.copyOf(seeds);
        this.cluster = cluster;
    }

    boolean isCluster() {
        return cluster;
    }

    List<RedisURI> seeds() {
        return seeds;
    }

    /** Parses {@code uri}; {@link IllegalArgumentException} with a message that doesn't quote it. */
    static RedisTarget parse(String uri) {
        if (uri.startsWith(CLUSTER) || uri.startsWith(CLUSTER_TLS)) {
            return parseCluster(uri);
        }
        if (!(uri.startsWith("redis://") || uri.startsWith("rediss://") || uri.startsWith("redis-sentinel://"))) {
            throw new IllegalArgumentException("the Redis URL must start with redis://, rediss://, redis-sentinel://, "
                    + "redis-cluster:// or rediss-cluster://");
        }
        try {
            return new RedisTarget(List.of(RedisURI.create(uri)), false);
        } catch (RuntimeException e) {
            // No cause and no message from the parser: both may quote the URI and its password.
            throw new IllegalArgumentException("invalid Redis URI");
        }
    }

    private static RedisTarget parseCluster(String uri) {
        boolean tls = uri.startsWith(CLUSTER_TLS);
        String rest = uri.substring(tls ? CLUSTER_TLS.length() : CLUSTER.length());
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.indexOf('/') >= 0 || rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
            throw new IllegalArgumentException("invalid Redis Cluster URI: only [[user:]password@]host:port[,host:port...] is accepted");
        }
        String user = null;
        char[] password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String pw = colon >= 0 ? userInfo.substring(colon + 1) : userInfo;
            user = colon > 0 ? decode(userInfo.substring(0, colon)) : null;
            password = decode(pw).toCharArray();
        }
        String[] nodes = rest.split(",", -1);
        if (nodes.length > MAX_SEEDS) {
            throw new IllegalArgumentException("invalid Redis Cluster URI: more than " + MAX_SEEDS + " seed nodes");
        }
        List<RedisURI> seeds = new ArrayList<>();
        for (String node : nodes) {
            RedisURI.Builder b = RedisURI.builder().withSsl(tls);
            hostAndPort(node, b);
            if (password != null) {
                if (user != null) {
                    b.withAuthentication(user, password);
                } else {
                    b.withPassword(password);
                }
            }
            seeds.add(b.build());
        }
        return new RedisTarget(seeds, true);
    }

    private static void hostAndPort(String node, RedisURI.Builder b) {
        String host;
        String port;
        if (node.startsWith("[")) {
            int close = node.indexOf(']');
            if (close < 0 || close + 1 >= node.length() || node.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("invalid Redis Cluster URI: each node must be host:port");
            }
            host = node.substring(1, close);
            port = node.substring(close + 2);
        } else {
            int colon = node.lastIndexOf(':');
            if (colon <= 0 || node.indexOf(':') != colon) {
                throw new IllegalArgumentException("invalid Redis Cluster URI: each node must be host:port");
            }
            host = node.substring(0, colon);
            port = node.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid Redis Cluster URI: a port is not a number");
        }
        if (host.isEmpty() || p < 1 || p > 65535) {
            throw new IllegalArgumentException("invalid Redis Cluster URI: each node must be host:port with a port in 1..65535");
        }
        b.withHost(host).withPort(p);
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid Redis Cluster URI: bad percent-encoding in the credentials");
        }
    }

    /** A connector for this deployment, with reconnection, fail-fast while disconnected and timeouts. */
    RedisLink.Connector connector(ClientResources resources, Duration commandTimeout, SocketOptions socket,
                                  TimeoutOptions timeouts) {
        seeds.forEach(u -> u.setTimeout(commandTimeout));
        if (!cluster) {
            RedisClient client = RedisClient.create(resources);
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .socketOptions(socket)
                    .timeoutOptions(timeouts)
                    .build());
            RedisURI uri = seeds.get(0);
            return new RedisLink.Connector() {
                @Override
                public RedisLink connect() {
                    StatefulRedisConnection<String, String> c = client.connect(uri);
                    return link(c.sync(), c::close);
                }

                @Override
                public void shutdown() {
                    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                }
            };
        }
        RedisClusterClient client = RedisClusterClient.create(resources, seeds);
        client.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(socket)
                .timeoutOptions(timeouts)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .build())
                .build());
        return new RedisLink.Connector() {
            @Override
            public RedisLink connect() {
                StatefulRedisClusterConnection<String, String> c = client.connect();
                openMasterConnections(c);
                return link(c.sync(), c::close);
            }

            @Override
            public void shutdown() {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        };
    }

    /**
     * Opens the connection to every master that serves slots, as the slot routing keys it (write, host
     * and port). Lettuce 7 rejects a command whose node connection is still being opened when the
     * disconnected behaviour is REJECT_COMMANDS, so without this the first command to each master
     * would fail. A master that cannot be reached now is left to fail closed on use.
     */
    private static void openMasterConnections(StatefulRedisClusterConnection<String, String> c) {
        for (RedisClusterNode node : c.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
                try {
                    c.getConnection(node.getUri().getHost(), node.getUri().getPort());
                } catch (RuntimeException unreachable) {
                    // fails closed on use, and reconnects with the client's autoReconnect
                }
            }
        }
    }

    /** Standalone and Cluster sync commands alike ({@code RedisScriptingCommands}); the Cluster one routes by the first key. */
    private static RedisLink link(RedisScriptingCommands<String, String> commands, Runnable close) {
        return new RedisLink() {
            @Override
            public Long evalsha(String sha1, String[] keys, String... args) {
                return commands.evalsha(sha1, ScriptOutputType.INTEGER, keys, args);
            }

            @Override
            public Long eval(String script, String[] keys, String... args) {
                return commands.eval(script, ScriptOutputType.INTEGER, keys, args);
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }
}
