package io.flagstore.redis.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.function.Consumer;

/** A plain Lettuce connection for a test to send commands as a given user, outside flag-store's code. */
public final class DirectConnection {
    private DirectConnection() {}

    /** Runs {@code body} with a connection to {@code uri} (credentials in it), then closes it. */
    public static void with(String uri, Consumer<RedisCommands<String, String>> body) {
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            body.accept(connection.sync());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
