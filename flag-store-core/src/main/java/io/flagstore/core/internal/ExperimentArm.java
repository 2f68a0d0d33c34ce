package io.flagstore.core.internal;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.model.Experiment;
import java.util.Objects;

/**
 * One arm of a compiled experiment: the variant a slice of the experiment's rollout serves. Every
 * {@link EvalResult} served from that rollout carries its arm, so the client recognises an exposure
 * with one null check and non-experiment flags pay nothing more.
 *
 * <p>Immutable, except {@link #clientSlot}, a cache for the client's per-arm state (written without
 * synchronisation: races are benign as long as every writer stores an equivalent object).
 */
public final class ExperimentArm {
    private final String flagKey;
    private final String variant;
    private final Experiment experiment;
    private final String bucketBy;

    /** Free for the client to cache its state for this arm. */
    public Object clientSlot;

    ExperimentArm(String flagKey, String variant, Experiment experiment, String bucketBy) {
        this.flagKey = Objects.requireNonNull(flagKey, "flagKey");
        this.variant = Objects.requireNonNull(variant, "variant");
        this.experiment = Objects.requireNonNull(experiment, "experiment");
        this.bucketBy = bucketBy;
    }

    /** The experiment's flag. */
    public String flagKey() {
        return flagKey;
    }

    /** The variant this arm serves. */
    public String variant() {
        return variant;
    }

    /** The experiment definition. */
    public Experiment experiment() {
        return experiment;
    }

    /**
     * The unit of assignment of {@code ctx}: the value the rollout bucketed, so unique counts count
     * what was randomised (the targeting key, or the {@code bucketBy} attribute).
     */
    public String unit(EvaluationContext ctx) {
        return CompiledServe.bucketValue(bucketBy, ctx);
    }

    @Override
    public String toString() {
        return "ExperimentArm{" + flagKey + "=" + variant + "}";
    }
}
