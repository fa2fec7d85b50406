package io.wimse4j.redis;

import io.lettuce.core.SetArgs;

/**
 * One open connection to the Redis deployment, standalone/Sentinel or Cluster alike: the replay
 * cache needs nothing but {@code SET key value NX PX ttl}.
 */
interface RedisLink extends AutoCloseable {
    /** {@code SET key value <args>}: {@code "OK"}, or {@code null} when NX found the key. */
    String set(String key, String value, SetArgs args);

    @Override
    void close();

    /** Makes links to one deployment and releases the client when done. */
    interface Connector {
        /** Opens a connection; throws a Lettuce {@link RuntimeException} when Redis can't be reached. */
        RedisLink connect();

        /** Releases the client's resources (not the shared {@code ClientResources}). */
        void shutdown();
    }
}
