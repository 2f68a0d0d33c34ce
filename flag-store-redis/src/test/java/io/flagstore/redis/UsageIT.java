package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.metrics.MetricsOptions;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Flag usage recorded by real clients into a real Redis, read back through {@link FlagAdmin#usage()}. */
class UsageIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private RedisOptions options;
    private FlagAdmin admin;

    @BeforeEach
    void seed() {
        options = RedisOptions.builder()
                .uri(redis.uri())
                .namespace(redis.uniqueNamespace())
                .build();
        admin = FlagAdmin.connect(options);
        admin.create(Flag.killSwitch("payments-api"));
        admin.create(Flag.killSwitch("new-checkout"));
        admin.create(Flag.killSwitch("unused"));
    }

    @AfterEach
    void close() {
        admin.close();
    }

    private FlagClient client(String service, Duration usageInterval) {
        return FlagClient.builder()
                .source(RedisFlagSource.builder()
                        .options(options)
                        .serviceName(service)
                        .build())
                .metricsOptions(
                        MetricsOptions.builder().usageInterval(usageInterval).build())
                .build();
    }

    @Test
    void clientsRecordWhichFlagsEachServiceEvaluatedWithinTheInterval() {
        Instant before = Instant.now();
        try (FlagClient checkout = client("checkout", Duration.ofMillis(200));
                FlagClient billing = client("billing", Duration.ofMillis(200))) {
            checkout.isEnabled("payments-api", EvaluationContext.of("u1"));
            checkout.isEnabled("new-checkout", EvaluationContext.of("u1"));
            billing.isEnabled("payments-api", EvaluationContext.of("u2"));

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Map<String, Map<String, Instant>> usage = admin.usage();
                assertThat(usage).containsOnlyKeys("new-checkout", "payments-api");
                assertThat(usage.get("payments-api")).containsOnlyKeys("billing", "checkout");
                assertThat(usage.get("new-checkout")).containsOnlyKeys("checkout");
                assertThat(usage.get("payments-api").get("checkout")).isBetween(before, Instant.now());
            });
        }
    }

    @Test
    void closeWritesTheLastIntervalsUsage() {
        FlagClient client = client("checkout", Duration.ofHours(1));
        client.isEnabled("new-checkout", EvaluationContext.of("u1"));
        assertThat(admin.usage()).as("nothing written before the interval ends").isEmpty();

        client.close();

        assertThat(admin.usage()).containsOnlyKeys("new-checkout");
    }

    @Test
    void unreadableUsageEntriesAreSkipped() {
        KeySchema keys = KeySchema.of(options.namespace());
        redis.execute("HSET", keys.usage(), "no-separator", "1", "payments-api|checkout", "soon", "unused|x", "42");

        assertThat(admin.usage()).isEqualTo(Map.of("unused", Map.of("x", Instant.ofEpochMilli(42))));
    }
}
