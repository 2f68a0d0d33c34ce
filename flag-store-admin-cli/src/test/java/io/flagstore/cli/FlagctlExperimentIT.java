package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.core.ClientState;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.core.spi.Exposure;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code flagctl experiment} end to end on a real Redis: start, a service exposing users and
 * tracking conversions that differ by variant, results with lift and sample ratio check, stop, and
 * the stopped experiment reported by {@code flagctl stale}.
 */
class FlagctlExperimentIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private static final String METRIC = "checkout.completed";

    private String namespace;
    private Map<String, String> env;
    private RedisOptions options;

    @BeforeEach
    void flags() {
        namespace = redis.uniqueNamespace();
        env = Cli.env(redis.uri(), namespace);
        options = RedisOptions.builder().uri(redis.uri()).namespace(namespace).build();
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.booleanFlag("new-checkout")
                    .enabled(true)
                    .fallthrough(Serve.rollout(
                            new Rollout(List.of(new WeightedVariant("off", 50), new WeightedVariant("on", 50)), null)))
                    .build());
            admin.create(Flag.killSwitch("payments-api"));
        }
    }

    @Test
    void startShowResultsStopAndStale() {
        Cli.ok(
                env,
                "experiment",
                "start",
                "new-checkout",
                "--metric",
                METRIC,
                "--hypothesis",
                "one page converts more",
                "--start",
                "2020-01-01T00:00:00Z");
        JsonNode shown =
                Cli.ok(env, "experiment", "show", "new-checkout", "--json").json();
        assertThat(shown.get("state").asText()).isEqualTo("running");
        assertThat(shown.at("/experiment/control").asText())
                .as("the off variant by default")
                .isEqualTo("off");
        assertThat(shown.at("/experiment/metrics/0").asText()).isEqualTo(METRIC);

        Cli.Result again = Cli.run(env, Cli.NO_TERMINAL, "experiment", "start", "new-checkout", "--metric", METRIC);
        assertThat(again.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(again.err()).contains("already runs an experiment since 2020-01-01T00:00:00Z");

        // a service: 4,000 users, 10 % of 'off' and 20 % of 'on' convert
        SplittableRandom random = new SplittableRandom(7);
        FlagClient client = FlagClient.builder()
                .source(RedisFlagSource.builder().options(options).build())
                .experimentFlushInterval(Duration.ofMillis(50))
                .build();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.health().state() == ClientState.READY);
        for (int i = 0; i < 4_000; i++) {
            EvaluationContext user = EvaluationContext.of("user-" + i);
            boolean on = client.isEnabled("new-checkout", user);
            if (random.nextDouble() < (on ? 0.20 : 0.10)) {
                client.track(METRIC, user, 30);
            }
        }
        client.close();

        JsonNode results =
                Cli.ok(env, "experiment", "results", "new-checkout", "--json").json();
        assertThat(results.get("interval").asText()).isEqualTo("sequential");
        assertThat(results.at("/sampleRatio/mismatch").asBoolean()).isFalse();
        JsonNode off = results.at("/metrics/0/variants/0");
        JsonNode on = results.at("/metrics/0/variants/1");
        assertThat(off.get("variant").asText()).isEqualTo("off");
        assertThat(off.get("control").asBoolean()).isTrue();
        assertThat(off.get("exposed").asLong() + on.get("exposed").asLong()).isBetween(3_900L, 4_100L);
        assertThat(off.get("rate").asDouble()).isBetween(0.07, 0.13);
        assertThat(on.get("rate").asDouble()).isBetween(0.16, 0.24);
        assertThat(on.get("lift").asDouble()).isBetween(0.5, 1.5);
        assertThat(on.get("significant").asBoolean()).isTrue();
        assertThat(on.get("valueSum").asDouble())
                .isEqualTo(30.0 * on.get("outcomes").asLong());

        Cli.Result table = Cli.ok(env, "experiment", "results", "new-checkout");
        assertThat(table.out())
                .contains("new-checkout: experiment running since 2020-01-01T00:00:00Z, control off")
                .contains("hypothesis: one page converts more")
                .contains("metric checkout.completed (primary): lift with an always-valid 95% interval")
                .containsPattern(
                        "on +50% +\\d+ +\\d+ +\\d+\\.\\d\\d% +\\+\\d+\\.\\d% +\\[\\+\\d+\\.\\d%, \\+\\d+\\.\\d%\\] +better")
                .contains("sample ratio: ok");

        // broken assignment: 600 more exposures of 'on' than the split explains
        try (RedisFlagSource sink = RedisFlagSource.builder().options(options).build()) {
            List<Exposure> extra = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                extra.add(new Exposure(
                        "new-checkout",
                        "on",
                        "bot-" + i,
                        "bot-" + i,
                        Instant.parse("2020-01-01T00:00:00Z"),
                        Instant.now()));
            }
            sink.exposed(extra);
        }
        Cli.Result skewed = Cli.run(env, Cli.NO_TERMINAL, "experiment", "results", "new-checkout");
        assertThat(skewed.exitCode()).isZero();
        assertThat(skewed.err()).contains("SAMPLE RATIO MISMATCH in experiment 'new-checkout'");
        assertThat(skewed.out()).contains("!!! SAMPLE RATIO MISMATCH").contains("sample ratio: MISMATCH");

        Cli.ok(env, "experiment", "stop", "new-checkout");
        assertThat(Cli.ok(env, "experiment", "show", "new-checkout", "--json")
                        .json()
                        .get("state")
                        .asText())
                .isEqualTo("stopped");
        JsonNode stale = Cli.ok(env, "stale", "--json").json();
        assertThat(stale.get("flags").findValuesAsText("key")).containsExactly("new-checkout");
        assertThat(stale.at("/flags/0/reasons").toString()).contains("experiment-finished");
    }

    @Test
    void mistakesAreRefusedWithTheirExitCodes() {
        Cli.Result fixed = Cli.run(env, Cli.NO_TERMINAL, "experiment", "start", "payments-api", "--metric", METRIC);
        assertThat(fixed.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(fixed.err()).contains("experiment: the fallthrough serves a fixed variant");
        Cli.Result control = Cli.run(
                env, Cli.NO_TERMINAL, "experiment", "start", "new-checkout", "--metric", METRIC, "--control", "ghost");
        assertThat(control.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(control.err())
                .contains("experiment.control: 'ghost' is not one of the rollout's variants (off, on)");
        Cli.Result none = Cli.run(env, Cli.NO_TERMINAL, "experiment", "results", "new-checkout");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(none.err()).contains("flag 'new-checkout' has no experiment");
        Cli.ok(env, "experiment", "start", "new-checkout", "--metric", METRIC);
        Cli.Result metric = Cli.run(env, Cli.NO_TERMINAL, "experiment", "results", "new-checkout", "--metric", "nope");
        assertThat(metric.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(metric.err()).contains("is not judged on 'nope' (metrics: checkout.completed)");
        Cli.Result empty = Cli.ok(env, "experiment", "results", "new-checkout");
        assertThat(empty.out()).contains("sample ratio: not checked yet").contains("no conversions yet");
    }
}
