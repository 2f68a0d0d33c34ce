package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.testing.RedisServerExtension;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Command connections that cannot hang, on a real redis-server whose clients are paused
 * ({@code CLIENT PAUSE}: the server reads nothing, like a connection stuck in a partition): two
 * command timeouts in a row replace the connection; a timeout followed by an answer does not.
 */
class RedisConnectionsIT {
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @Test
    void twoCommandTimeoutsInARowReplaceTheConnectionAndOneFollowedByAnAnswerDoesNot() {
        RedisOptions options =
                RedisOptions.builder().uri(redis.uri()).commandTimeout(TIMEOUT).build();
        try (RedisConnections client = RedisConnections.create(options, null, b -> {});
                RedisConnections.Commands commands = client.connect()) {
            long id = commands.sync().clientId();

            for (int i = 0; i < 2; i++) {
                pause(TIMEOUT.plus(TIMEOUT.dividedBy(2)));
                assertThatThrownBy(() -> commands.sync().ping()).isInstanceOf(RedisCommandTimeoutException.class);
                assertThat(await().pollDelay(TIMEOUT)
                                .until(() -> commands.sync().ping(), "PONG"::equals))
                        .as("answered after the pause")
                        .isEqualTo("PONG");
            }
            assertThat(commands.sync().clientId())
                    .as("each timeout was followed by an answer: the same connection")
                    .isEqualTo(id);

            pause(TIMEOUT.multipliedBy(4));
            assertThatThrownBy(() -> commands.sync().ping()).isInstanceOf(RedisCommandTimeoutException.class);
            assertThatThrownBy(() -> commands.sync().ping()).isInstanceOf(RedisCommandTimeoutException.class);

            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertThat(
                            commands.sync().clientId())
                    .as("a new connection")
                    .isNotEqualTo(id));
        }
    }

    private static void pause(Duration duration) {
        redis.execute("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
    }
}
