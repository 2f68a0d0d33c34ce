package io.flagstore.cli.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulations of whole experiments: 100,000 synthetic users each, 200 repetitions, true
 * conversion 10 % (control) against 11 % (treatment), so the true relative lift is +10 %.
 *
 * <p>Simulation error: over 200 repetitions, a rate of 5 % has a standard deviation of 3.1
 * repetitions; bounds are three of those either side of nominal. The seeds are fixed, so the
 * outcome is deterministic; a change that breaks an interval fails here at once.
 */
class ExperimentSimulationTest {
    private static final int USERS = 100_000;
    private static final int REPETITIONS = 200;
    private static final long SEED = 20_270_104L;
    private static final double CONFIDENCE = 0.95;
    /** 200 * 5 % = 10, plus three standard deviations of a binomial(200, 0.05): 10 + 9.2. */
    private static final int MAX_MISSES = 19;

    /** Counts of one simulated experiment, with the control/treatment cumulative counts at each look. */
    private record Run(long[] exposedC, long[] convertedC, long[] exposedT, long[] convertedT) {
        Report at(int look, Interval interval) {
            return ExperimentStatistics.analyze(
                    List.of(
                            new ArmCounts("control", 50, exposedC[look], convertedC[look]),
                            new ArmCounts("treatment", 50, exposedT[look], convertedT[look])),
                    "control",
                    interval,
                    CONFIDENCE,
                    ExperimentStatistics.DEFAULT_TAU);
        }

        Report end(Interval interval) {
            return at(exposedC.length - 1, interval);
        }
    }

    /** One experiment: each user is assigned 50/50 (or by {@code controlShare}) and converts at its arm's rate. */
    private static Run simulate(long seed, double controlRate, double treatmentRate, double controlShare, int looks) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] ec = new long[looks];
        long[] cc = new long[looks];
        long[] et = new long[looks];
        long[] ct = new long[looks];
        long exposedC = 0;
        long convertedC = 0;
        long exposedT = 0;
        long convertedT = 0;
        int perLook = USERS / looks;
        for (int user = 1; user <= USERS; user++) {
            if (random.nextDouble() < controlShare) {
                exposedC++;
                convertedC += random.nextDouble() < controlRate ? 1 : 0;
            } else {
                exposedT++;
                convertedT += random.nextDouble() < treatmentRate ? 1 : 0;
            }
            if (user % perLook == 0) {
                int look = user / perLook - 1;
                ec[look] = exposedC;
                cc[look] = convertedC;
                et[look] = exposedT;
                ct[look] = convertedT;
            }
        }
        return new Run(ec, cc, et, ct);
    }

    @Test
    void intervalsCoverTheTrueLiftAtLeastAtTheirNominalRate() {
        double trueLift = 0.11 / 0.10 - 1;
        int fixedMisses = 0;
        int sequentialMisses = 0;
        int sequentialSignificant = 0;
        for (int r = 0; r < REPETITIONS; r++) {
            Run run = simulate(SEED + r, 0.10, 0.11, 0.5, 1);
            ArmResult fixed = run.end(Interval.FIXED).arms().get(1);
            ArmResult sequential = run.end(Interval.SEQUENTIAL).arms().get(1);
            fixedMisses += fixed.liftLow() <= trueLift && trueLift <= fixed.liftHigh() ? 0 : 1;
            sequentialMisses += sequential.liftLow() <= trueLift && trueLift <= sequential.liftHigh() ? 0 : 1;
            sequentialSignificant += sequential.significant() ? 1 : 0;
        }
        String seeds = " (seeds " + SEED + " to " + (SEED + REPETITIONS - 1) + ")";
        assertThat(fixedMisses)
                .as("fixed-horizon intervals missing the true lift, of 200; nominal 10" + seeds)
                .isBetween(1, MAX_MISSES);
        assertThat(sequentialMisses)
                .as("always-valid intervals missing the true lift, of 200; at most nominal" + seeds)
                .isLessThanOrEqualTo(MAX_MISSES);
        assertThat(sequentialSignificant)
                .as("a +10 % lift at 100,000 users is found most of the time even by the always-valid interval" + seeds)
                .isGreaterThan(REPETITIONS / 2);
    }

    @Test
    void anAaTestFindsNoDifferenceAtTheNominalFalsePositiveRateAndPeekingInflatesOnlyTheFixedInterval() {
        int looks = 10; // a look every 10,000 users, as during a ramp
        int fixedAtEnd = 0;
        int sequentialAtEnd = 0;
        int fixedAnyLook = 0;
        int sequentialAnyLook = 0;
        int mismatches = 0;
        for (int r = 0; r < REPETITIONS; r++) {
            Run run = simulate(SEED + 1_000 + r, 0.10, 0.10, 0.5, looks);
            fixedAtEnd += run.end(Interval.FIXED).arms().get(1).significant() ? 1 : 0;
            sequentialAtEnd += run.end(Interval.SEQUENTIAL).arms().get(1).significant() ? 1 : 0;
            boolean fixedSeen = false;
            boolean sequentialSeen = false;
            for (int look = 0; look < looks; look++) {
                fixedSeen |= run.at(look, Interval.FIXED).arms().get(1).significant();
                sequentialSeen |=
                        run.at(look, Interval.SEQUENTIAL).arms().get(1).significant();
            }
            fixedAnyLook += fixedSeen ? 1 : 0;
            sequentialAnyLook += sequentialSeen ? 1 : 0;
            mismatches += run.end(Interval.FIXED).sampleRatio().mismatch() ? 1 : 0;
        }
        String seeds = " (seeds " + (SEED + 1_000) + " to " + (SEED + 1_000 + REPETITIONS - 1) + ")";
        assertThat(fixedAtEnd)
                .as("A/A 'differences' at one look, of 200; nominal 10" + seeds)
                .isBetween(1, MAX_MISSES);
        assertThat(sequentialAtEnd)
                .as("A/A 'differences' of the always-valid interval" + seeds)
                .isLessThanOrEqualTo(MAX_MISSES);
        assertThat(sequentialAnyLook)
                .as("A/A runs the always-valid interval ever called different, over 10 looks" + seeds)
                .isLessThanOrEqualTo(MAX_MISSES);
        assertThat(fixedAnyLook)
                .as("peeking at the fixed interval finds more false differences than one look" + seeds)
                .isGreaterThan(fixedAtEnd)
                .isGreaterThan(sequentialAnyLook);
        assertThat(mismatches)
                .as("sample ratio mismatches reported for a working 50/50 split" + seeds)
                .isLessThanOrEqualTo(2);
    }

    @Test
    void aSkewedAssignmentIsReportedAsASampleRatioMismatch() {
        int flagged = 0;
        for (int r = 0; r < 20; r++) {
            Run run = simulate(SEED + 2_000 + r, 0.10, 0.10, 0.52, 1); // 52/48 while 50/50 is configured
            flagged += run.end(Interval.SEQUENTIAL).sampleRatio().mismatch() ? 1 : 0;
        }
        assertThat(flagged)
                .as("52/48 splits at 100,000 exposures flagged, of 20")
                .isEqualTo(20);
    }
}
