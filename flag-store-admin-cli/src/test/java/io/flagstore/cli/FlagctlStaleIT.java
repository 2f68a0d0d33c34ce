package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.metrics.MetricsOptions;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code flagctl stale} against a real Redis: a scenario of flags, usage recorded by a real client
 * and usage written in the past, judged 40 days from now ({@code --now}) with the default 30 days.
 */
class FlagctlStaleIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private static final Rollout SPLIT =
            new Rollout(List.of(new WeightedVariant("on", 50), new WeightedVariant("off", 50)), null);

    private final Instant realNow = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Instant judgedAt = realNow.plus(Duration.ofDays(40)).plus(Duration.ofHours(1));
    private String namespace;
    private Map<String, String> env;

    @BeforeEach
    void scenario() {
        namespace = redis.uniqueNamespace();
        env = Cli.env(redis.uri(), namespace);
        RedisOptions options =
                RedisOptions.builder().uri(redis.uri()).namespace(namespace).build();
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            for (String key : List.of("never-used", "evaluated-now", "ancient", "fresh")) {
                admin.create(split(key).owner("team-" + key).build());
            }
            admin.create(Flag.booleanFlag("rolled-out").enabled(true).build());
            admin.create(Flag.booleanFlag("rolled-out-100")
                    .enabled(true)
                    .fallthrough(Serve.rollout(
                            new Rollout(List.of(new WeightedVariant("on", 100), new WeightedVariant("off", 0)), null)))
                    .build());
            admin.create(Flag.booleanFlag("switched-off").enabled(false).build());
            admin.create(Flag.booleanFlag("dead-switch").enabled(false).build());
            admin.create(Flag.booleanFlag("targeted")
                    .enabled(true)
                    .target("off", List.of("bob"))
                    .build());
            admin.create(split("expired-temp")
                    .temporary(true)
                    .expiresAt(realNow.plus(Duration.ofDays(10)))
                    .build());
            admin.create(split("fresh-temp")
                    .temporary(true)
                    .expiresAt(judgedAt.plus(Duration.ofDays(10)))
                    .build());
        }
        KeySchema keys = KeySchema.of(namespace);
        // a real client records "evaluated-now": 40 days before the judged time
        try (FlagClient client = FlagClient.builder()
                .source(RedisFlagSource.builder()
                        .options(options)
                        .serviceName("checkout")
                        .build())
                .metricsOptions(MetricsOptions.builder()
                        .usageInterval(Duration.ofMillis(100))
                        .build())
                .build()) {
            client.isEnabled("evaluated-now", EvaluationContext.of("u1"));
            await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(1)
                    .equals(redis.execute("HEXISTS", keys.usage(), "evaluated-now|checkout")));
        }
        String recent = Long.toString(judgedAt.minus(Duration.ofDays(1)).toEpochMilli());
        redis.execute(
                "HSET",
                keys.usage(),
                "ancient|billing",
                Long.toString(realNow.minus(Duration.ofDays(5)).toEpochMilli()));
        for (String key : List.of(
                "fresh", "rolled-out", "rolled-out-100", "switched-off", "targeted", "expired-temp", "fresh-temp")) {
            redis.execute("HSET", keys.usage(), key + "|billing", recent);
        }
    }

    private static Flag.Builder split(String key) {
        return Flag.booleanFlag(key).enabled(true).fallthrough(Serve.rollout(SPLIT));
    }

    private Cli.Result ok(String... args) {
        return Cli.ok(env, args);
    }

    private static Map<String, List<String>> reasonsByKey(JsonNode report) {
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        for (JsonNode f : report.get("flags")) {
            List<String> names = new ArrayList<>();
            f.get("reasons").forEach(r -> names.add(r.asText()));
            reasons.put(f.get("key").asText(), names);
        }
        return reasons;
    }

    @Test
    void findsExactlyTheFlagsTheScenarioMakesStale() {
        JsonNode report = ok("stale", "--now", judgedAt.toString(), "--json").json();

        assertThat(report.get("days").asInt()).isEqualTo(30);
        assertThat(reasonsByKey(report))
                .containsExactly(
                        Map.entry("ancient", List.of("unused")),
                        Map.entry("dead-switch", List.of("unused", "single-variant")),
                        Map.entry("evaluated-now", List.of("unused")),
                        Map.entry("expired-temp", List.of("expired")),
                        Map.entry("never-used", List.of("unused")),
                        Map.entry("rolled-out", List.of("single-variant")),
                        Map.entry("rolled-out-100", List.of("single-variant")),
                        Map.entry("switched-off", List.of("single-variant")));
        JsonNode evaluated = report.get("flags").get(2);
        assertThat(evaluated.get("owner").asText()).isEqualTo("team-evaluated-now");
        assertThat(Instant.parse(evaluated.get("lastEvaluated").asText()))
                .isBetween(realNow, Instant.now())
                .isEqualTo(
                        Instant.parse(evaluated.get("services").get("checkout").asText()));
        assertThat(report.get("flags").get(4).get("lastEvaluated").isNull()).isTrue();
        assertThat(report.get("flags").get(7).get("servedToAll").asText()).isEqualTo("off");
    }

    @Test
    void printsAnAlignedTableWithOwnerAgeAndLastEvaluation() {
        String table = ok("stale", "--now", judgedAt.toString()).out();

        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).startsWith("KEY").contains("REASONS", "OWNER", "AGE", "LAST EVALUATED");
        assertThat(lines).hasSize(9);
        assertThat(lines.get(5)).startsWith("never-used ").contains("unused", "team-never-used", "40d", "never");
        int column = lines.get(0).indexOf("OWNER");
        assertThat(lines.get(5).substring(column)).startsWith("team-never-used");
    }

    @Test
    void nothingIsStaleTodayAndALongerPeriodSparesTheRecentlyUsed() {
        assertThat(ok("stale").out()).startsWith("no stale flags in namespace '" + namespace + "' (30 days)");

        JsonNode report = ok("stale", "--days", "50", "--now", judgedAt.toString(), "--json")
                .json();
        assertThat(reasonsByKey(report)).containsExactly(Map.entry("expired-temp", List.of("expired")));
    }
}
