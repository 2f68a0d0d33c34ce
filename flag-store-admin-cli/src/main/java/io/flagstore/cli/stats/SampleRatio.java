package io.flagstore.cli.stats;

/**
 * The sample-ratio-mismatch check: a chi-square goodness-of-fit test of the exposures against the
 * configured weights. A mismatch means assignment or counting is broken (exposures lost for one
 * variant, a bot hitting one arm, a redirect dropping users), and every other number of the report
 * is suspect.
 *
 * @param chiSquare the statistic
 * @param degreesOfFreedom arms with a non-zero weight, minus one
 * @param pValue how likely a split at least this uneven is when assignment works
 * @param threshold the p-value below which a mismatch is reported
 */
public record SampleRatio(double chiSquare, int degreesOfFreedom, double pValue, double threshold) {
    /** Whether the split is off: {@code pValue < threshold}. */
    public boolean mismatch() {
        return pValue < threshold;
    }
}
