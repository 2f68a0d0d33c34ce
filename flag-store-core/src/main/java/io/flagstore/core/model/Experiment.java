package io.flagstore.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Marks one rollout of a flag as an A/B experiment (docs/experiments.md): the contexts that rollout
 * serves are the experiment's population, its slices are the arms, and every context served from it
 * is an exposure. Contexts served by targets, earlier rules or the off variant are not in the
 * experiment.
 *
 * <p>Running while the flag is enabled and {@code startAt <= now < stopAt}; a stopped experiment
 * (past {@code stopAt}) still on the flag is flag debt (docs/flag-debt.md).
 *
 * @param control the variant the others are compared with; one of the rollout's variants
 * @param hypothesis what the experiment expects, free text, or {@code null}
 * @param metrics the outcome names ({@code FlagClient.track}) it is judged on, the first one primary
 * @param rule the id of the rule whose rollout is the experiment, or {@code null} for the
 *     fallthrough's rollout
 * @param startAt when counting starts; also names the run, so a restarted experiment counts afresh
 * @param stopAt when counting stops, or {@code null} while open-ended
 */
public record Experiment(
        String control, String hypothesis, List<String> metrics, String rule, Instant startAt, Instant stopAt) {
    public Experiment {
        Objects.requireNonNull(control, "control");
        metrics = List.copyOf(metrics);
        Objects.requireNonNull(startAt, "startAt");
    }

    /** {@return whether the experiment counts at {@code now}: started and not yet stopped} */
    public boolean isRunningAt(Instant now) {
        return !now.isBefore(startAt) && (stopAt == null || now.isBefore(stopAt));
    }

    /** {@return whether the experiment stopped at or before {@code now}} */
    public boolean isStoppedAt(Instant now) {
        return stopAt != null && !now.isBefore(stopAt);
    }

    /** Returns a copy stopping at {@code stopAt}. */
    public Experiment withStopAt(Instant newStopAt) {
        return new Experiment(control, hypothesis, metrics, rule, startAt, newStopAt);
    }
}
