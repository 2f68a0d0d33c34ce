package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StaleFlagsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration PERIOD = Duration.ofDays(30);

    /**
     * Random flags, usage and times: each reason holds exactly when its rule says, and a flag is
     * reported exactly when some reason holds.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2026})
    void reportsAFlagExactlyForTheRulesItBreaks(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++) {
            Instant created = NOW.minus(Duration.ofDays(random.nextInt(60)));
            Instant updated = created.plus(Duration.ofDays(random.nextInt(5)));
            Instant lastUsed = random.nextBoolean() ? null : NOW.minus(Duration.ofHours(random.nextInt(60 * 24)));
            boolean enabled = random.nextInt(4) > 0;
            int onWeight = List.of(0, 50, 100).get(random.nextInt(3));
            Serve fallthrough = random.nextBoolean()
                    ? Serve.variant("on")
                    : Serve.rollout(new Rollout(
                            List.of(new WeightedVariant("on", onWeight), new WeightedVariant("off", 100 - onWeight)),
                            null));
            Flag.Builder builder = Flag.booleanFlag("f" + i)
                    .enabled(enabled)
                    .fallthrough(fallthrough)
                    .createdAt(created)
                    .updatedAt(updated);
            boolean targeted = random.nextInt(4) == 0;
            if (targeted) {
                builder.target("off", List.of("bob"));
            }
            boolean temporary = random.nextBoolean();
            Instant expires = NOW.plus(Duration.ofDays(random.nextInt(20) - 10));
            if (temporary) {
                builder.temporary(true).expiresAt(expires);
            }
            Flag flag = builder.build();
            Map<String, Map<String, Instant>> usage = lastUsed == null
                    ? Map.of()
                    : Map.of(flag.key(), Map.of("a", lastUsed.minusSeconds(5), "b", lastUsed));

            List<StaleFlags.Finding> found = StaleFlags.find(List.of(flag), usage, NOW, PERIOD);

            Instant cutoff = NOW.minus(PERIOD);
            boolean unused = lastUsed == null ? !created.isAfter(cutoff) : lastUsed.isBefore(cutoff);
            boolean oneVariant = !enabled || (!targeted && (fallthrough.rollout() == null || onWeight != 50));
            boolean single = oneVariant && !updated.isAfter(cutoff);
            boolean expired = temporary && !expires.isAfter(NOW);
            List<StaleFlags.Reason> expected = new java.util.ArrayList<>();
            if (unused) {
                expected.add(StaleFlags.Reason.unused);
            }
            if (single) {
                expected.add(StaleFlags.Reason.single_variant);
            }
            if (expired) {
                expected.add(StaleFlags.Reason.expired);
            }
            String why = "seed " + seed + ", flag " + flag + ", last used " + lastUsed;
            if (expected.isEmpty()) {
                assertThat(found).as(why).isEmpty();
            } else {
                assertThat(found).as(why).hasSize(1);
                assertThat(found.get(0).reasons()).as(why).isEqualTo(expected);
                assertThat(found.get(0).lastEvaluated()).as(why).isEqualTo(lastUsed);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aStoppedExperimentIsDebtAndARunningOneIsNot() {
        io.flagstore.core.model.Experiment running = new io.flagstore.core.model.Experiment(
                "off", null, List.of("checkout.completed"), null, NOW.minus(Duration.ofDays(1)), null);
        java.util.function.Function<String, Flag.Builder> split = key -> Flag.booleanFlag(key)
                .enabled(true)
                .fallthrough(Serve.rollout(
                        new Rollout(List.of(new WeightedVariant("off", 50), new WeightedVariant("on", 50)), null)))
                .createdAt(NOW.minus(Duration.ofDays(2)))
                .updatedAt(NOW.minus(Duration.ofDays(1)));
        Flag stopped = split.apply("new-checkout")
                .experiment(running.withStopAt(NOW.minusSeconds(1)))
                .build();
        Flag open = split.apply("new-search").experiment(running).build();
        Map<String, Map<String, Instant>> usage =
                Map.of("new-checkout", Map.of("checkout", NOW), "new-search", Map.of("search", NOW));

        List<StaleFlags.Finding> findings = StaleFlags.find(List.of(stopped, open), usage, NOW, PERIOD);

        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).flag().key()).isEqualTo("new-checkout");
        assertThat(findings.get(0).reasons()).containsExactly(StaleFlags.Reason.experiment_finished);
        assertThat(StaleFlags.Reason.experiment_finished.label()).isEqualTo("experiment-finished");
    }
}
