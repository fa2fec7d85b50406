package io.wimse4j.redis;

import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.wimse4j.core.error.Reason;
import io.wimse4j.core.error.WimseException;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The {@link RedisReplayCache}'s connection, made on first use and again after a failure, at most
 * once a second: while there is none, {@link #get()} fails closed with
 * {@link Reason#REPLAY_CACHE_UNAVAILABLE} (SEC-4) instead of every request waiting on a connect.
 * Lettuce reconnects a connection it once had by itself (exponential delay, 10 ms to 1 s).
 */
final class LazyRedisLink {
    private static final long CONNECT_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ClientResources resources;
    private final RedisLink.Connector connector;
    private final Object connectLock = new Object();
    private volatile RedisLink connection;
    private volatile boolean closed;
    private long nextConnectAttempt; // System.nanoTime(); guarded by connectLock

    LazyRedisLink(RedisTarget target, Duration commandTimeout) {
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        Duration connectTimeout = commandTimeout.compareTo(Duration.ofSeconds(1)) > 0 ? commandTimeout : Duration.ofSeconds(1);
        this.connector = target.connector(resources, commandTimeout,
                SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build(),
                TimeoutOptions.enabled(commandTimeout));
        this.nextConnectAttempt = System.nanoTime();
    }

    /** The connection, made now if there is none and the last attempt is a second old. */
    RedisLink get() throws WimseException {
        RedisLink c = connection;
        if (c != null) {
            return c;
        }
        synchronized (connectLock) {
            if (closed) {
                throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE, "Redis replay cache is closed");
            }
            if (connection != null) {
                return connection;
            }
            long now = System.nanoTime();
            if (now - nextConnectAttempt < 0) {
                throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                        "Redis replay cache is not connected (the connection is retried every second)");
            }
            nextConnectAttempt = now + CONNECT_RETRY_NANOS;
            try {
                connection = connector.connect();
                return connection;
            } catch (RuntimeException e) {
                throw new WimseException(Reason.REPLAY_CACHE_UNAVAILABLE,
                        "cannot connect to the Redis replay cache (" + e.getClass().getSimpleName() + ")", e);
            }
        }
    }

    /** True once {@link #close()} ran. */
    boolean isClosed() {
        return closed;
    }

    /** Closes the connection and releases Lettuce's threads; later calls fail closed. */
    void close() {
        RedisLink c;
        synchronized (connectLock) {
            closed = true;
            c = connection;
            connection = null;
        }
        try {
            if (c != null) {
                c.close();
            }
        } finally {
            connector.shutdown();
            resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3_000);
        }
    }
}
