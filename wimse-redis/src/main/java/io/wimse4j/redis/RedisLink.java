package io.wimse4j.redis;

/**
 * One open connection to the Redis deployment, standalone/Sentinel or Cluster alike: the replay
 * cache needs nothing but running its one Lua script ({@code EVALSHA}, and {@code EVAL} when the
 * server does not have it cached). On a Cluster the command goes to the master owning the slot of
 * {@code keys[0]}; all keys of one call must share that slot.
 */
interface RedisLink extends AutoCloseable {
    /**
     * {@code EVALSHA sha1 keys args}: the script's integer reply; throws Lettuce's
     * {@link io.lettuce.core.RedisNoScriptException} when the server does not know {@code sha1}.
     */
    Long evalsha(String sha1, String[] keys, String... args);

    /** {@code EVAL script keys args} (which also caches the script on that server): its integer reply. */
    Long eval(String script, String[] keys, String... args);

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
