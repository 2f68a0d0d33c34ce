package io.flagstore.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagstore.core.InvalidFlagException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentDefinitionTest {
    private static final Instant START = Instant.parse("2027-01-04T09:00:00Z");
    private static final String EXPERIMENT_FLAG =
            """
            {
              "key": "new-checkout",
              "enabled": true,
              "fallthrough": {"rollout": {"variants": [{"variant": "off", "weight": 50}, {"variant": "on", "weight": 50}]}},
              "experiment": {
                "control": "off",
                "hypothesis": "the one-page checkout converts more visitors",
                "metrics": ["checkout.completed", "order.value"],
                "startAt": "2027-01-04T09:00:00Z"
              }
            }""";

    private static Flag.Builder fiftyFifty() {
        return Flag.booleanFlag("new-checkout")
                .enabled(true)
                .fallthrough(Serve.rollout(new Rollout(
                        List.of(new WeightedVariant(Flag.OFF, 50), new WeightedVariant(Flag.ON, 50)), null)));
    }

    private static Experiment experiment(String control, List<String> metrics, String rule, Instant stopAt) {
        return new Experiment(control, null, metrics, rule, START, stopAt);
    }

    @Test
    void anExperimentReadsWritesAndReadsBackUnchanged() {
        Flag flag = FlagJson.read(EXPERIMENT_FLAG);
        assertThat(flag.experiment())
                .isEqualTo(new Experiment(
                        "off",
                        "the one-page checkout converts more visitors",
                        List.of("checkout.completed", "order.value"),
                        null,
                        START,
                        null));
        assertThat(flag.experimentRollout()).isEqualTo(flag.fallthrough().rollout());
        assertThat(FlagJson.read(FlagJson.write(flag))).isEqualTo(flag);
        assertThat(FlagJson.write(flag)).contains("\"experiment\": {\n    \"control\": \"off\"");
    }

    @Test
    void aFlagWithoutAnExperimentWritesNoExperimentAndOlderDocumentsStayReadable() {
        Flag flag = FlagJson.read("{\"key\": \"payments-api\", \"enabled\": true}");
        assertThat(flag.experiment()).isNull();
        assertThat(FlagJson.toTree(flag).has("experiment")).isFalse();
    }

    @Test
    void everyProblemOfAnExperimentIsNamedByItsPath() {
        assertThat(FlagValidator.problems(Flag.killSwitch("k").toBuilder()
                        .experiment(experiment("off", List.of("m"), null, null))
                        .build()))
                .anySatisfy(p -> assertThat(p).startsWith("experiment: the fallthrough serves a fixed variant"));
        assertThat(FlagValidator.problems(fiftyFifty()
                        .experiment(experiment("ghost", List.of("m"), null, null))
                        .build()))
                .containsExactly("experiment.control: 'ghost' is not one of the rollout's variants (off, on)");
        assertThat(FlagValidator.problems(fiftyFifty()
                        .experiment(experiment("off", List.of(), "nope", START.minusSeconds(1)))
                        .build()))
                .containsExactly(
                        "experiment.rule: no rule with id 'nope'",
                        "experiment.metrics: an experiment needs at least one metric (the name passed to track)",
                        "experiment.stopAt: 2027-01-04T08:59:59Z is not after startAt 2027-01-04T09:00:00Z");
        assertThat(FlagValidator.problems(fiftyFifty()
                        .experiment(experiment("off", List.of("a b", "m", "m"), null, null))
                        .build()))
                .containsExactly(
                        "experiment.metrics[0]: 'a b' is not a valid metric name (expected letters, digits, '.', '_'"
                                + " or '-', starting with a letter or digit, at most 64 characters)",
                        "experiment.metrics[2]: 'm' is listed twice");
        Flag oneArm = fiftyFifty()
                .fallthrough(Serve.rollout(new Rollout(List.of(new WeightedVariant(Flag.ON, 100)), null)))
                .experiment(experiment("on", List.of("m"), null, null))
                .build();
        assertThat(FlagValidator.problems(oneArm))
                .containsExactly(
                        "experiment: the experiment's rollout has 1 variant; an experiment compares at least two");
    }

    @Test
    void anExperimentMayRunOnARulesRolloutButNotOnAFixedRule() {
        Rule fixed =
                new Rule("staff", null, List.of(new Clause("key", Operator.IN, List.of(), false)), Serve.variant("on"));
        Flag flag = fiftyFifty()
                .rule(fixed)
                .experiment(experiment("off", List.of("m"), "staff", null))
                .build();
        assertThat(FlagValidator.problems(flag))
                .contains("experiment.rule: rule 'staff' serves a fixed variant; an experiment runs on a rollout");
    }

    @Test
    void readingReportsAMissingControlAndStart() {
        assertThatThrownBy(
                        () -> FlagJson.read(
                                "{\"key\": \"k\", \"fallthrough\": {\"rollout\": {\"variants\": [{\"variant\": \"on\", \"weight\": 50},"
                                        + " {\"variant\": \"off\", \"weight\": 50}]}}, \"experiment\": {\"metrics\": [\"m\"]}}"))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining("experiment.control: required")
                .hasMessageContaining("experiment.startAt: required");
    }

    @Test
    void runningIsFromStartUntilStop() {
        Experiment e = experiment("off", List.of("m"), null, START.plusSeconds(10));
        assertThat(e.isRunningAt(START.minusMillis(1))).isFalse();
        assertThat(e.isRunningAt(START)).isTrue();
        assertThat(e.isRunningAt(START.plusSeconds(10))).isFalse();
        assertThat(e.isStoppedAt(START.plusSeconds(10))).isTrue();
        assertThat(e.isStoppedAt(START.plusSeconds(9))).isFalse();
    }
}
