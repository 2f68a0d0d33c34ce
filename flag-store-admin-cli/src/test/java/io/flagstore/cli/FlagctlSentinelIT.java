package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.testing.RedisSentinelExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * flagctl through {@code --redis redis-sentinel://...} against a master, a replica and three
 * sentinels, before and after the master is killed: the same commands work, {@code --wait} sees the
 * service that followed the failover, and {@code --replica-acks} reports the missing replica.
 */
class FlagctlSentinelIT {
    private static final String SENTINEL_PASSWORD = "sentinel-s3cret";

    @RegisterExtension
    static RedisSentinelExtension sentinel = new RedisSentinelExtension().withSentinelPassword(SENTINEL_PASSWORD);

    /** A shell pointed at the sentinels, their password in the environment. */
    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(Cli.env(sentinel.uri(), "ops"));
        env.put(Flagctl.ENV_SENTINEL_PASSWORD, SENTINEL_PASSWORD);
        return env;
    }

    @Test
    void everyCommandWorksThroughTheSentinelsBeforeAndAfterAFailover() {
        Map<String, String> env = env();
        AtomicLong applied = new AtomicLong(-1);
        RedisFlagSource service = startService(applied);
        try {
            Cli.ok(env, "create", "payments-api", "--replica-acks", "1");
            Cli.ok(env, "create", "checkout", "--tag", "payments");
            assertThat(Cli.ok(env, "list", "--json").json().get("flags"))
                    .extracting(f -> f.get("key").asText())
                    .containsExactly("checkout", "payments-api");
            assertThat(Cli.ok(env, "disable", "payments-api", "--wait").out())
                    .contains("all 1 instance applied version 3");
            assertThat(Cli.ok(env, "status", "--json").json().get("version").asLong())
                    .isEqualTo(3);

            int oldMaster = sentinel.killMaster();
            sentinel.awaitNewMaster(oldMaster);

            assertThat(Cli.ok(env, "enable", "payments-api", "--wait", "--wait-timeout", "10s")
                            .out())
                    .contains("all 1 instance applied version 4");
            assertThat(applied.get()).isEqualTo(4);
            // no replica is left: the write is applied, flagctl says it is not yet safe
            Cli.Result unconfirmed = Cli.run(
                    env,
                    Cli.NO_TERMINAL,
                    "disable",
                    "checkout",
                    "--replica-acks",
                    "1",
                    "--replica-ack-timeout",
                    "200ms",
                    "--no-wait");
            assertThat(unconfirmed.exitCode()).as(unconfirmed.toString()).isEqualTo(10);
            assertThat(unconfirmed.err()).contains("at version 5 (and published), but only 0 of 1 replicas");
            JsonNode status = Cli.ok(env, "status", "--json").json();
            assertThat(status.get("version").asLong()).isEqualTo(5);
            assertThat(status.get("redis").asText()).isEqualTo(sentinel.uri());
            assertThat(Cli.flag(env, "checkout").get("enabled").asBoolean()).isFalse();
        } finally {
            service.close();
        }
    }

    @Test
    void badOrUnreachableSentinelUrisAreClearErrors() {
        Cli.Result malformed = Cli.run(Cli.env("redis-sentinel://127.0.0.1:26379", "ops"), Cli.NO_TERMINAL, "list");
        assertThat(malformed.exitCode()).as(malformed.toString()).isEqualTo(2);
        assertThat(malformed.err()).contains("no master name: add #<master>");

        Cli.Result unreachable = Cli.run(
                Cli.env("redis-sentinel://:secret@127.0.0.1:1#flagstore", "ops"),
                Cli.NO_TERMINAL,
                "list",
                "--timeout",
                "1s");
        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(5);
        assertThat(unreachable.err())
                .contains("cannot reach Redis at redis-sentinel://:***@127.0.0.1:1#flagstore")
                .doesNotContain("secret");

        Map<String, String> wrongPassword = new HashMap<>(env());
        wrongPassword.put(Flagctl.ENV_SENTINEL_PASSWORD, "wrong");
        for (Map<String, String> env : List.of(Cli.env(sentinel.uri(), "ops"), wrongPassword)) {
            Cli.Result refused = Cli.run(env, Cli.NO_TERMINAL, "list");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(5);
            assertThat(refused.err())
                    .contains("the sentinels of " + sentinel.uri() + " refused the credentials")
                    .contains("hint: give the sentinels' password with FLAGSTORE_SENTINEL_PASSWORD");
        }
    }

    /** A service instance through the sentinels, recording the version it applied. */
    private static RedisFlagSource startService(AtomicLong applied) {
        RedisFlagSource source = RedisFlagSource.builder()
                .options(RedisOptions.builder()
                        .uri(sentinel.uri())
                        .namespace("ops")
                        .sentinelCredentials(null, SENTINEL_PASSWORD)
                        .build())
                .serviceName("checkout-service")
                .reconcileInterval(Duration.ofSeconds(1))
                .build();
        source.start(new FlagSink() {
            @Override
            public void init(FlagData data) {
                applied.set(data.version());
            }

            @Override
            public void apply(FlagUpdate update) {
                applied.set(update.version());
            }

            @Override
            public void stateChanged(SourceState state, String message) {}
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> applied.get() >= 0);
        return source;
    }
}
