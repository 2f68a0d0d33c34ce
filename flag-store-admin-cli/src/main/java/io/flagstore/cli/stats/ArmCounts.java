package io.flagstore.cli.stats;

import java.util.Objects;

/**
 * What was counted for one arm of an experiment.
 *
 * @param variant the arm's variant
 * @param weight its configured share of the rollout in percent
 * @param exposed units exposed
 * @param converted units with at least one outcome of the metric
 */
public record ArmCounts(String variant, double weight, long exposed, long converted) {
    public ArmCounts {
        Objects.requireNonNull(variant, "variant");
        if (exposed < 0 || converted < 0 || !(weight >= 0)) {
            throw new IllegalArgumentException("negative count or weight for variant '" + variant + "'");
        }
    }

    /** Converted over exposed, at most 1 (unique counts are estimates, so converted may exceed exposed); 0 when none was exposed. */
    public double rate() {
        return exposed == 0 ? 0 : Math.min(1, converted / (double) exposed);
    }
}
