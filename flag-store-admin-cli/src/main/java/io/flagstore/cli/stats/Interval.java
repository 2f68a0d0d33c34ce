package io.flagstore.cli.stats;

/** Which confidence interval of the lift is computed (docs/experiments.md, "Which interval"). */
public enum Interval {
    /**
     * Always valid: a normal-mixture confidence sequence (the interval of the mixture sequential
     * probability ratio test), which keeps its coverage however often it is looked at, so peeking
     * during a ramp does not inflate false positives. Wider than {@link #FIXED} at any one look.
     */
    SEQUENTIAL,
    /**
     * The classic interval for one look at a sample size fixed in advance; looking repeatedly and
     * stopping at the first significant look inflates false positives well beyond its level.
     */
    FIXED
}
