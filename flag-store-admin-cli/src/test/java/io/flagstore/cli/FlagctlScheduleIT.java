package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.redis.testing.RedisServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code flagctl schedule ...} and {@code flagctl scheduler}, driven in-process against a real Redis. */
class FlagctlScheduleIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private Map<String, String> env;

    @BeforeEach
    void namespace() {
        env = Cli.env(redis.uri(), redis.uniqueNamespace());
    }

    private Cli.Result run(String... args) {
        return Cli.run(env, Cli.NO_TERMINAL, args);
    }

    private Cli.Result ok(String... args) {
        return Cli.ok(env, args);
    }

    private JsonNode flag(String key) {
        return Cli.flag(env, key);
    }

    private static List<String> ids(JsonNode scheduled) {
        List<String> out = new ArrayList<>();
        scheduled.get("scheduled").forEach(n -> out.add(n.get("id").asText()));
        return out;
    }

    @Test
    void scheduledChangesAreListedSoonestFirstCancellableAndAppliedBySchedulerOnce() {
        ok("create", "checkout");
        ok("create", "banner");
        String rollout = ids(ok("schedule", "rollout", "checkout", "on=25", "off=75", "--at", "+2s", "--json")
                        .json())
                .get(0);
        Cli.Result disable = ok("schedule", "disable", "banner", "--at", "+1s", "--reason", "campaign over");
        assertThat(disable.out()).startsWith("scheduled ").contains("disable banner at ");
        String later = ids(ok("schedule", "enable", "banner", "--at", "+1d", "--json")
                        .json())
                .get(0);

        JsonNode list = ok("schedule", "list", "--json").json();
        assertThat(list.get("scheduled")).hasSize(3);
        assertThat(list.get("scheduled").get(0).get("change").asText()).isEqualTo("disable banner");
        assertThat(list.get("scheduled").get(0).get("reason").asText()).isEqualTo("campaign over");
        assertThat(list.get("scheduled").get(1).get("id").asText()).isEqualTo(rollout);
        assertThat(list.get("scheduled").get(1).get("weights").get("on").asDouble())
                .isEqualTo(25.0);
        assertThat(ok("schedule", "list").out()).contains("ID", "DUE", "rollout checkout on=25% off=75%");

        assertThat(ok("schedule", "cancel", later, "--reason", "not yet").out()).startsWith("cancelled " + later);
        assertThat(run("schedule", "cancel", later).exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(run("schedule", "cancel", "no-such-id").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ok("scheduler", "--once").out().contains("rollout checkout"));
        assertThat(flag("banner").get("enabled").asBoolean()).isFalse();
        assertThat(flag("checkout")
                        .get("fallthrough")
                        .get("rollout")
                        .get("variants")
                        .get(0)
                        .get("weight")
                        .asDouble())
                .isEqualTo(25.0);
        assertThat(ok("schedule", "list").out()).contains("no scheduled changes");
        assertThat(ok("scheduler", "--once").out()).isEmpty();
        assertThat(run("schedule", "cancel", rollout).exitCode()).isEqualTo(ExitCodes.CONFLICT);

        JsonNode history = ok("history", "banner", "--json").json().get("entries");
        List<String> ops = new ArrayList<>();
        history.forEach(e -> ops.add(e.get("op").asText()));
        assertThat(ops).containsExactly("disable", "cancel-schedule", "schedule", "schedule", "create");
        assertThat(history.get(0).get("reason").asText())
                .contains("campaign over")
                .startsWith("scheduled:");
    }

    @Test
    void theSchedulerDaemonAppliesARampStepByStepAndStopsWhenInterrupted() throws Exception {
        ok("create", "checkout");
        Cli.Result ramp = ok("schedule", "ramp", "checkout", "--steps", "10@+1s,50@+2s", "--json");
        assertThat(ramp.json().get("scheduled")).hasSize(2);

        AtomicReference<Cli.Result> daemon = new AtomicReference<>();
        Thread thread = new Thread(() -> daemon.set(run("scheduler", "--interval", "100ms")));
        thread.start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> flag("checkout")
                                    .path("fallthrough")
                                    .path("rollout")
                                    .path("variants")
                                    .path(0)
                                    .path("weight")
                                    .asDouble()
                            == 50.0);
        } finally {
            thread.interrupt();
            thread.join(10_000);
        }
        assertThat(daemon.get().exitCode()).as(daemon.get().toString()).isZero();
        String out = daemon.get().out();
        assertThat(out).contains("polling every");
        assertThat(out.indexOf("rollout checkout on=10% off=90%"))
                .as(out)
                .isPositive()
                .isLessThan(out.indexOf("rollout checkout on=50% off=50%"));
    }

    @Test
    void aScheduledBatchWritesTheFileAndTheDeletesAsOneVersion(@TempDir Path dir) throws Exception {
        ok("create", "summer-banner");
        ok("create", "winter-banner");
        ok("export", "-o", dir.resolve("all.json").toString());
        JsonNode doc = Json.MAPPER.readTree(java.nio.file.Files.readString(dir.resolve("all.json")));
        ObjectNode winter = (ObjectNode) doc.get("flags").get(1);
        assertThat(winter.get("key").asText()).isEqualTo("winter-banner");
        winter.put("enabled", true);
        Path file = dir.resolve("winter.json");
        java.nio.file.Files.writeString(file, "{\"flags\":[" + winter + "]}");
        ok("schedule", "batch", "-f", file.toString(), "--delete", "summer-banner", "--at", "+1s");
        long before = ok("status", "--json").json().get("version").asLong();

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ok("scheduler", "--once").out().contains("batch put winter-banner delete summer-banner"));

        assertThat(ok("status", "--json").json().get("version").asLong()).isEqualTo(before + 1);
        assertThat(flag("winter-banner").get("enabled").asBoolean()).isTrue();
        assertThat(run("get", "summer-banner").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run("schedule", "batch", "--at", "+1h").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void badScheduleInputIsRefusedWithTheDocumentedExitCodesAndNothingStored() {
        ok("create", "checkout");
        assertThat(run("schedule", "enable", "checkout", "--at", "tomorrow").exitCode())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run("schedule", "enable", "checkout").exitCode()).isEqualTo(ExitCodes.USAGE);
        Cli.Result past = run(
                "schedule",
                "enable",
                "checkout",
                "--at",
                Instant.now().minusSeconds(60).toString());
        assertThat(past.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(past.err()).contains("in the past");
        Cli.Result step = run("schedule", "ramp", "checkout", "--steps", "10@+1h,120@+2h");
        assertThat(step.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(step.err()).contains("not 120");
        assertThat(run("schedule", "ramp", "checkout", "--steps", "10+1h").err())
                .contains("PERCENT@TIME");
        assertThat(run("schedule", "enable", "missing", "--at", "+1h").exitCode())
                .isEqualTo(ExitCodes.NOT_FOUND);
        Cli.Result variant = run("schedule", "ramp", "checkout", "--steps", "10@+1h", "--variant", "maybe");
        assertThat(variant.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(variant.err()).contains("maybe");
        assertThat(ok("schedule", "list", "--json").json().get("scheduled")).isEmpty();
    }
}
