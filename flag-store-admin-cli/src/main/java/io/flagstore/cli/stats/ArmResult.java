package io.flagstore.cli.stats;

/**
 * One arm's line of a report.
 *
 * @param counts what was counted
 * @param control whether this is the control arm
 * @param lift relative lift of the conversion rate against the control ({@code 0.1} is +10 %), or
 *     NaN for the control or when it cannot be estimated (no conversions on either side)
 * @param liftLow the interval's lower end, NaN like {@code lift}
 * @param liftHigh the interval's upper end, NaN like {@code lift}
 */
public record ArmResult(ArmCounts counts, boolean control, double lift, double liftLow, double liftHigh) {
    /** Whether the interval excludes no difference: the arm differs from the control at the report's level. */
    public boolean significant() {
        return !Double.isNaN(liftLow) && (liftLow > 0 || liftHigh < 0);
    }
}
