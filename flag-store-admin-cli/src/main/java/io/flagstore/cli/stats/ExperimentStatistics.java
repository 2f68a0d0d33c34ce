package io.flagstore.cli.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Computes a {@link Report} from counts (docs/experiments.md, "The statistics").
 *
 * <p>The lift of an arm is {@code rate / controlRate - 1}, estimated on the log scale, where its
 * estimate is close to normal: {@code d = ln(p_t) - ln(p_c)} with variance {@code V = (1 - p_t) /
 * (n_t p_t) + (1 - p_c) / (n_c p_c)} (the delta method). The interval is {@code exp(d ± h) - 1}:
 *
 * <ul>
 *   <li>{@link Interval#FIXED}: {@code h = z * sqrt(V)}, {@code z} the normal quantile of the level;
 *   <li>{@link Interval#SEQUENTIAL}: the normal-mixture confidence sequence of the mixture
 *       sequential probability ratio test (Robbins; Johari, Pekelis and Walsh, "Always valid
 *       inference", 2017) with mixing variance {@code tau^2}: {@code h = sqrt(2 V (V + tau^2) /
 *       tau^2 * (ln(1 / alpha) + ln((V + tau^2) / V) / 2))}. The mixture likelihood ratio is a
 *       martingale under no difference, so by Ville's inequality the chance that the interval ever
 *       excludes the truth, at any of arbitrarily many looks, is at most {@code alpha}.
 * </ul>
 *
 * <p>Stateless; all methods are static and thread-safe.
 */
public final class ExperimentStatistics {
    /** The default level of the intervals. */
    public static final double DEFAULT_CONFIDENCE = 0.95;
    /**
     * The default mixing standard deviation {@code tau} of the sequential interval on the log-lift
     * scale: it makes the interval tightest around relative lifts of roughly 5 to 20 %, what most
     * product experiments look for. Any value keeps the interval valid; it only moves its power.
     */
    public static final double DEFAULT_TAU = 0.1;
    /**
     * A sample ratio mismatch is reported below this p-value: strict, because with many experiments
     * and many looks a looser threshold cries wolf, and a real mismatch at scale has a p-value far
     * below it (52/48 at 100,000 exposures: about 1e-36).
     */
    public static final double SAMPLE_RATIO_THRESHOLD = 0.001;

    private ExperimentStatistics() {}

    /**
     * The report of one metric.
     *
     * @param arms the arms in the rollout's order
     * @param control the control's variant, one of the arms
     * @param interval which interval to compute
     * @param confidence its level, in (0, 1)
     * @param tau the sequential interval's mixing standard deviation, positive (ignored for fixed)
     * @throws IllegalArgumentException if the control is not an arm, or confidence or tau are out of range
     */
    public static Report analyze(
            List<ArmCounts> arms, String control, Interval interval, double confidence, double tau) {
        Objects.requireNonNull(interval, "interval");
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1, was " + confidence);
        }
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("tau must be a positive number, was " + tau);
        }
        ArmCounts base = arms.stream()
                .filter(a -> a.variant().equals(control))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("control '" + control + "' is not one of the arms"));
        List<ArmResult> results = new ArrayList<>();
        for (ArmCounts arm : arms) {
            if (arm == base) {
                results.add(new ArmResult(arm, true, Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            results.add(lift(arm, base, interval, confidence, tau));
        }
        return new Report(interval, confidence, results, sampleRatio(arms));
    }

    private static ArmResult lift(ArmCounts arm, ArmCounts base, Interval interval, double confidence, double tau) {
        double pt = arm.rate();
        double pc = base.rate();
        if (pt <= 0 || pc <= 0) {
            return new ArmResult(arm, false, Double.NaN, Double.NaN, Double.NaN);
        }
        double d = Math.log(pt) - Math.log(pc);
        double v = (1 - pt) / (arm.exposed() * pt) + (1 - pc) / (base.exposed() * pc);
        double h = halfWidth(v, interval, confidence, tau);
        return new ArmResult(arm, false, Math.expm1(d), Math.expm1(d - h), Math.expm1(d + h));
    }

    /** The interval's half-width on the log scale for an estimate of variance {@code v}. */
    static double halfWidth(double v, Interval interval, double confidence, double tau) {
        double alpha = 1 - confidence;
        if (interval == Interval.FIXED) {
            double z = new NormalDistribution().inverseCumulativeProbability(1 - alpha / 2);
            return z * Math.sqrt(v);
        }
        double t2 = tau * tau;
        return Math.sqrt(2 * v * (v + t2) / t2 * (Math.log(1 / alpha) + Math.log((v + t2) / v) / 2));
    }

    /** The chi-square test of exposures against weights over the arms with a non-zero weight. */
    static SampleRatio sampleRatio(List<ArmCounts> arms) {
        List<ArmCounts> weighted = arms.stream().filter(a -> a.weight() > 0).toList();
        long total = weighted.stream().mapToLong(ArmCounts::exposed).sum();
        double weights = weighted.stream().mapToDouble(ArmCounts::weight).sum();
        if (weighted.size() < 2 || total == 0) {
            return null;
        }
        double chi = 0;
        for (ArmCounts arm : weighted) {
            double expected = total * arm.weight() / weights;
            double diff = arm.exposed() - expected;
            chi += diff * diff / expected;
        }
        int df = weighted.size() - 1;
        double p = 1 - new ChiSquaredDistribution(df).cumulativeProbability(chi);
        return new SampleRatio(chi, df, p, SAMPLE_RATIO_THRESHOLD);
    }
}
