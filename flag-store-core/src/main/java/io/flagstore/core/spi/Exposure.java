package io.flagstore.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One context seen one variant of a running experiment (docs/experiments.md): what {@link
 * ExposureSink}s receive. A client reports each (experiment, variant, unit) once while it remembers
 * it (see {@code FlagClient.Builder.exposureCacheSize}), so a sink may see a unit again after it was
 * forgotten; unique counts must not depend on a sink seeing it once.
 *
 * @param flagKey the experiment's flag
 * @param variant the variant served
 * @param unit the unit of assignment: the value the rollout bucketed (the targeting key, or the
 *     rollout's {@code bucketBy} attribute)
 * @param contextKey the context's targeting key
 * @param run the experiment's {@code startAt}, naming its run
 * @param at when the client handed the exposure on (within one flush interval of the evaluation)
 */
public record Exposure(String flagKey, String variant, String unit, String contextKey, Instant run, Instant at) {
    public Exposure {
        Objects.requireNonNull(flagKey, "flagKey");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(contextKey, "contextKey");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(at, "at");
    }
}
