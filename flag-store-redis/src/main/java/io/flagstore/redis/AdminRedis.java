package io.flagstore.redis;

import io.flagstore.core.StoreUnavailableException;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.internal.RedisConnections;
import io.flagstore.redis.internal.RedisSupport;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The admin side's one connection to a namespace, shared by its parts: the keys, the sync and
 * async commands, and the translation of Lettuce errors into the {@code FlagStoreException}
 * hierarchy (the admin role named in refusals, no credentials in messages).
 *
 * <p>Thread-safe.
 */
final class AdminRedis implements AutoCloseable {
    static final String ROLE = "admin";

    private final RedisOptions options;
    private final KeySchema keys;
    private final RedisConnections client;
    private final RedisConnections.Commands connection;

    AdminRedis(RedisOptions options, RedisConnections client, RedisConnections.Commands connection) {
        this.options = options;
        this.keys = KeySchema.of(options.namespace());
        this.client = client;
        this.connection = connection;
    }

    RedisOptions options() {
        return options;
    }

    KeySchema keys() {
        return keys;
    }

    RedisConnections client() {
        return client;
    }

    RedisConnections.Commands connection() {
        return connection;
    }

    RedisClusterCommands<String, String> sync() {
        return connection.sync();
    }

    RedisClusterAsyncCommands<String, String> async() {
        return connection.async();
    }

    /** Runs a Redis command, translating Lettuce errors. */
    <T> T call(String command, Supplier<T> action) {
        try {
            return action.get();
        } catch (RedisException e) {
            throw translate(e, command);
        }
    }

    /** Waits for a pipelined command at most the command timeout, translating Lettuce errors. */
    <T> T await(String command, RedisFuture<T> future) {
        try {
            return future.get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new RedisException(e.getCause());
            throw cause instanceof RedisException r ? translate(r, command) : cause;
        } catch (TimeoutException e) {
            throw translate(new RedisCommandTimeoutException("timed out"), command);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for " + command, e);
        }
    }

    StoreUnavailableException translate(RedisException e, String command) {
        return RedisSupport.translate(e, command, options, ROLE);
    }

    @Override
    public void close() {
        connection.close();
        client.close();
    }
}
