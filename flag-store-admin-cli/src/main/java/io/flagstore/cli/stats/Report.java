package io.flagstore.cli.stats;

import java.util.List;

/**
 * The statistics of one metric of an experiment.
 *
 * @param interval how the lift intervals were computed
 * @param confidence their level, such as 0.95
 * @param arms one line per arm, in the rollout's order
 * @param sampleRatio the check of the split, or {@code null} when fewer than two arms have exposures
 */
public record Report(Interval interval, double confidence, List<ArmResult> arms, SampleRatio sampleRatio) {
    public Report {
        arms = List.copyOf(arms);
    }
}
