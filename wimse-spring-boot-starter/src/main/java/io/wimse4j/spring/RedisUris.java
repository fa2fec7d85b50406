package io.wimse4j.spring;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The wimse-redis URI of Spring Data Redis's connection details (standalone, Sentinel or Cluster), so
 * the replay cache talks to the Redis the application already configured under {@code spring.data.redis.*}.
 * The URI may carry the password: it is never logged (wimse-redis's messages never contain it either).
 * An SSL bundle selects {@code rediss://} with the JDK's default trust (the bundle's own trust is not carried over).
 */
final class RedisUris {
    private RedisUris() {
    }

    static String of(DataRedisConnectionDetails d) {
        boolean tls = d.getSslBundle() != null;
        if (d.getCluster() != null) {
            return (tls ? "rediss-cluster://" : "redis-cluster://") + credentials(d.getUsername(), d.getPassword())
                    + nodes(d.getCluster().getNodes());
        }
        if (d.getSentinel() != null) {
            DataRedisConnectionDetails.Sentinel s = d.getSentinel();
            return "redis-sentinel://" + credentials(d.getUsername(), d.getPassword()) + nodes(s.getNodes()) + "/" + s.getDatabase()
                    + "?sentinelMasterId=" + encode(s.getMaster());
        }
        if (d.getMasterReplica() != null) {
            throw new IllegalStateException("wimse.service.replay-store=redis supports standalone, Sentinel and Cluster Redis,"
                    + " not spring.data.redis.masterreplica");
        }
        DataRedisConnectionDetails.Standalone s = d.getStandalone();
        return (tls ? "rediss://" : "redis://") + credentials(d.getUsername(), d.getPassword()) + host(s.getHost()) + ":" + s.getPort()
                + "/" + s.getDatabase();
    }

    private static String nodes(List<DataRedisConnectionDetails.Node> nodes) {
        return nodes.stream().map(n -> host(n.host()) + ":" + n.port()).collect(Collectors.joining(","));
    }

    private static String host(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String credentials(String user, String password) {
        if (password == null || password.isEmpty()) {
            return "";
        }
        return (user == null || user.isEmpty() ? "" : encode(user) + ":") + encode(password) + "@";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
