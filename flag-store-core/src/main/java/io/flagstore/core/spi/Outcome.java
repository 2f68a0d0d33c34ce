package io.flagstore.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One tracked outcome ({@code FlagClient.track}) of a context in one running experiment judged on
 * that metric, attributed to the variant the experiment assigns the context (docs/experiments.md).
 *
 * @param metric the outcome's name, such as {@code checkout.completed}
 * @param flagKey the experiment's flag
 * @param variant the variant the context is assigned
 * @param unit the unit of assignment (see {@link Exposure#unit()})
 * @param run the experiment's {@code startAt}, naming its run
 * @param value the outcome's value (such as revenue), or {@code null} for a plain conversion
 * @param at when the client handed the outcome on
 */
public record Outcome(
        String metric, String flagKey, String variant, String unit, Instant run, Double value, Instant at) {
    public Outcome {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(flagKey, "flagKey");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(at, "at");
    }
}
