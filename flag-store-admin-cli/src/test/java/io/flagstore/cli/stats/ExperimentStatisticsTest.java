package io.flagstore.cli.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentStatisticsTest {
    @Test
    void halfWidthsMatchTheirFormulas() {
        assertThat(ExperimentStatistics.halfWidth(1, Interval.FIXED, 0.95, 1)).isCloseTo(1.959964, within(1e-6));
        // sqrt(2 * 1 * 2 / 1 * (ln 20 + ln 2 / 2))
        assertThat(ExperimentStatistics.halfWidth(1, Interval.SEQUENTIAL, 0.95, 1))
                .isCloseTo(Math.sqrt(4 * (Math.log(20) + Math.log(2) / 2)), within(1e-12));
        assertThat(ExperimentStatistics.halfWidth(1e-4, Interval.SEQUENTIAL, 0.95, 0.1))
                .as("always wider than the fixed interval at the same level")
                .isGreaterThan(ExperimentStatistics.halfWidth(1e-4, Interval.FIXED, 0.95, 0.1));
    }

    @Test
    void liftIsRelativeToTheControlWithAnIntervalAroundIt() {
        Report report = ExperimentStatistics.analyze(
                List.of(new ArmCounts("off", 50, 50_000, 5_000), new ArmCounts("on", 50, 50_000, 5_500)),
                "off",
                Interval.FIXED,
                0.95,
                ExperimentStatistics.DEFAULT_TAU);
        ArmResult control = report.arms().get(0);
        ArmResult treatment = report.arms().get(1);
        assertThat(control.control()).isTrue();
        assertThat(control.lift()).isNaN();
        assertThat(treatment.lift()).isCloseTo(0.10, within(1e-12));
        assertThat(treatment.liftLow()).isBetween(0.05, 0.10);
        assertThat(treatment.liftHigh()).isBetween(0.10, 0.16);
        assertThat(treatment.significant()).isTrue();
        assertThat(report.sampleRatio().mismatch()).isFalse();
    }

    @Test
    void aSkewedSplitIsAMismatchAndAnEvenOneIsNot() {
        SampleRatio skewed = ExperimentStatistics.sampleRatio(
                List.of(new ArmCounts("off", 50, 52_000, 0), new ArmCounts("on", 50, 48_000, 0)));
        assertThat(skewed.chiSquare()).isCloseTo(160, within(1e-9));
        assertThat(skewed.mismatch()).isTrue();
        SampleRatio even = ExperimentStatistics.sampleRatio(
                List.of(new ArmCounts("off", 50, 50_100, 0), new ArmCounts("on", 50, 49_900, 0)));
        assertThat(even.pValue()).isCloseTo(0.527, within(0.001));
        assertThat(even.mismatch()).isFalse();
        SampleRatio ninetyTen = ExperimentStatistics.sampleRatio(List.of(
                new ArmCounts("off", 90, 90_050, 0),
                new ArmCounts("on", 10, 9_950, 0),
                new ArmCounts("later", 0, 0, 0)));
        assertThat(ninetyTen.degreesOfFreedom())
                .as("zero-weight arms are left out")
                .isEqualTo(1);
        assertThat(ninetyTen.mismatch()).isFalse();
        assertThat(ExperimentStatistics.sampleRatio(
                        List.of(new ArmCounts("off", 50, 0, 0), new ArmCounts("on", 50, 0, 0))))
                .isNull();
    }

    @Test
    void noConversionsGiveNoLiftAndBadArgumentsAreRefused() {
        Report report = ExperimentStatistics.analyze(
                List.of(new ArmCounts("off", 50, 100, 0), new ArmCounts("on", 50, 100, 3)),
                "off",
                Interval.SEQUENTIAL,
                0.95,
                0.1);
        assertThat(report.arms().get(1).lift()).isNaN();
        assertThat(report.arms().get(1).significant()).isFalse();
        List<ArmCounts> arms = List.of(new ArmCounts("a", 50, 1, 1), new ArmCounts("b", 50, 1, 1));
        assertThatThrownBy(() -> ExperimentStatistics.analyze(arms, "c", Interval.FIXED, 0.95, 0.1))
                .hasMessage("control 'c' is not one of the arms");
        assertThatThrownBy(() -> ExperimentStatistics.analyze(arms, "a", Interval.FIXED, 1.5, 0.1))
                .hasMessage("confidence must be between 0 and 1, was 1.5");
        assertThatThrownBy(() -> ExperimentStatistics.analyze(arms, "a", Interval.SEQUENTIAL, 0.95, 0))
                .hasMessage("tau must be a positive number, was 0.0");
    }
}
