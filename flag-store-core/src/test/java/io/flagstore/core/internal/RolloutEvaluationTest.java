package io.flagstore.core.internal;

import static io.flagstore.core.internal.TestFlags.bool;
import static io.flagstore.core.internal.TestFlags.clause;
import static io.flagstore.core.internal.TestFlags.ctx;
import static io.flagstore.core.internal.TestFlags.rollout;
import static io.flagstore.core.internal.TestFlags.rule;
import static io.flagstore.core.internal.TestFlags.snapshot;
import static io.flagstore.core.internal.TestFlags.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.Reason;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Operator;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RolloutEvaluationTest {
    private static final int KEYS = 100_000;

    private static Flag abc(double a, double b, double c) {
        return string("exp", "a", "b", "c")
                .salt("exp-salt")
                .fallthrough(rollout(null, "a", a, "b", b, "c", c))
                .build();
    }

    @Test
    void fallthroughRolloutReportsSplitAndTheSliceOfTheKeysBucket() {
        CompiledSnapshot snapshot = snapshot(abc(20, 30, 50));
        for (int i = 0; i < 1000; i++) {
            String key = "user-" + i;
            int bucket = ReferenceMurmur3.bucket("exp-salt", key);
            String expected = bucket < 20_000 ? "a" : bucket < 50_000 ? "b" : "c";

            EvaluationDetail<Object> detail = snapshot.evaluate("exp", ctx(key)).detail();

            assertThat(detail.reason()).isEqualTo(Reason.SPLIT);
            assertThat(detail.variant()).as("key %s bucket %d", key, bucket).isEqualTo(expected);
        }
    }

    @Test
    void saltDefaultsToTheFlagKey() {
        CompiledSnapshot snapshot = snapshot(string("exp", "a", "b")
                .fallthrough(rollout(null, "a", 50, "b", 50))
                .build());
        for (int i = 0; i < 200; i++) {
            String expected = ReferenceMurmur3.bucket("exp", "k" + i) < 50_000 ? "a" : "b";
            assertThat(snapshot.evaluate("exp", ctx("k" + i)).detail().variant())
                    .isEqualTo(expected);
        }
    }

    @Test
    void ruleRolloutReportsRuleMatchWithItsIndex() {
        Flag flag = bool("f")
                .rule(rule("nobody", "off", clause("country", Operator.IN, "XX")))
                .rule(rule("de-half", rollout(null, "on", 50, "off", 50), clause("country", Operator.IN, "DE")))
                .build();

        EvaluationDetail<Object> detail =
                snapshot(flag).evaluate("f", ctx("u1", "country", "DE")).detail();

        assertThat(detail.reason()).isEqualTo(Reason.RULE_MATCH);
        assertThat(detail.ruleIndex()).isEqualTo(1);
        assertThat(detail.ruleId()).isEqualTo("de-half");
    }

    @Test
    void bucketByAttributeGivesEveryoneWithTheSameValueTheSameVariant() {
        CompiledSnapshot snapshot = snapshot(string("exp", "a", "b", "c")
                .fallthrough(rollout("company", "a", 34, "b", 33, "c", 33))
                .build());
        String expected = variantFor(ReferenceMurmur3.bucket("exp", "acme"), 34_000, 67_000);
        for (int i = 0; i < 100; i++) {
            assertThat(snapshot.evaluate("exp", ctx("user-" + i, "company", "acme"))
                            .detail()
                            .variant())
                    .isEqualTo(expected);
        }
    }

    @Test
    void integralNumberBucketValueIsHashedAsItsDigits() {
        CompiledSnapshot snapshot = snapshot(string("exp", "a", "b")
                .fallthrough(rollout("org", "a", 50, "b", 50))
                .build());
        for (int org = 0; org < 100; org++) {
            String expected = ReferenceMurmur3.bucket("exp", Integer.toString(org)) < 50_000 ? "a" : "b";
            assertThat(snapshot.evaluate("exp", ctx("u", "org", org)).detail().variant())
                    .isEqualTo(expected);
        }
    }

    @Test
    void missingOrUnusableBucketAttributeFallsBackToTheTargetingKey() {
        CompiledSnapshot snapshot = snapshot(string("exp", "a", "b")
                .fallthrough(rollout("company", "a", 50, "b", 50))
                .build());
        for (int i = 0; i < 200; i++) {
            String key = "user-" + i;
            String expected = ReferenceMurmur3.bucket("exp", key) < 50_000 ? "a" : "b";
            assertThat(snapshot.evaluate("exp", ctx(key)).detail().variant()).isEqualTo(expected);
            assertThat(snapshot.evaluate("exp", ctx(key, "company", true))
                            .detail()
                            .variant())
                    .isEqualTo(expected);
            assertThat(snapshot.evaluate("exp", ctx(key, "company", 1.5))
                            .detail()
                            .variant())
                    .isEqualTo(expected);
        }
    }

    @Test
    void zeroWeightSliceIsNeverServed() {
        CompiledSnapshot snapshot = snapshot(abc(0, 100, 0));
        for (int i = 0; i < 1000; i++) {
            assertThat(snapshot.evaluate("exp", ctx("k" + i)).detail().variant())
                    .isEqualTo("b");
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 20261125})
    void sameContextGetsSameVariantFromIndependentlyBuiltSnapshots(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        CompiledSnapshot first = snapshot(abc(10, 45, 45));
        CompiledSnapshot second = CompiledSnapshot.empty().apply(TestFlags.upsert(3, abc(10, 45, 45)));
        for (int i = 0; i < 10_000; i++) {
            EvaluationContext ctx = ctx(BucketingTest.randomString(random));
            assertThat(first.evaluate("exp", ctx).detail().variant())
                    .as("seed %d key %s", seed, BucketingTest.escape(ctx.key()))
                    .isEqualTo(second.evaluate("exp", ctx).detail().variant())
                    .isEqualTo(first.evaluate("exp", ctx).detail().variant());
        }
    }

    @Test
    void rampFromTenToFiftyPercentKeepsEveryoneWhoHadIt() {
        assertRampKeepsEveryone(0, 10, 50);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void randomRampUpKeepsEveryoneWhoHadIt(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double before = random.nextInt(1, 40_000) / 1000.0;
        double after = before + random.nextInt(1, 50_000) / 1000.0;
        assertRampKeepsEveryone(seed, before, after);
    }

    private static void assertRampKeepsEveryone(long seed, double before, double after) {
        SplittableRandom random = new SplittableRandom(seed);
        CompiledSnapshot low = snapshot(string("exp", "new", "old")
                .fallthrough(rollout(null, "new", before, "old", 100 - before))
                .build());
        CompiledSnapshot high = snapshot(string("exp", "new", "old")
                .fallthrough(rollout(null, "new", after, "old", 100 - after))
                .build());
        assertThat(low.problems()).isEmpty();
        assertThat(high.problems()).isEmpty();
        int hadIt = 0;
        for (int i = 0; i < 20_000; i++) {
            EvaluationContext ctx = ctx("user-" + random.nextLong());
            if ("new".equals(low.evaluate("exp", ctx).detail().variant())) {
                hadIt++;
                assertThat(high.evaluate("exp", ctx).detail().variant())
                        .as("seed %d: %s had 'new' at %s%% but not at %s%%", seed, ctx.key(), before, after)
                        .isEqualTo("new");
            }
        }
        assertThat(hadIt).as("seed %d", seed).isPositive();
    }

    @Test
    void weightsWithThreeDecimalsAreExact() {
        CompiledSnapshot snapshot = snapshot(abc(33.333, 33.333, 33.334));

        assertThat(snapshot.problems()).isEmpty();
        for (int i = 0; i < 300; i++) {
            String key = "k" + i;
            String expected = variantFor(ReferenceMurmur3.bucket("exp-salt", key), 33_333, 66_666);
            assertThat(snapshot.evaluate("exp", ctx(key)).detail().variant()).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12})
    void observedSharesMatchWeightsWithinFiveSigma(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double a = random.nextInt(1, 60);
        double b = random.nextInt(1, (int) (100 - a));
        double[] weights = {a, b, 100 - a - b};
        CompiledSnapshot snapshot = snapshot(abc(weights[0], weights[1], weights[2]));
        Map<Object, Integer> counts = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            counts.merge(
                    snapshot.evaluate("exp", ctx("k-" + random.nextLong()))
                            .detail()
                            .variant(),
                    1,
                    Integer::sum);
        }
        String[] variants = {"a", "b", "c"};
        for (int v = 0; v < 3; v++) {
            double p = weights[v] / 100;
            double sigma = Math.sqrt(KEYS * p * (1 - p));
            assertThat((double) counts.getOrDefault(variants[v], 0))
                    .as("seed %d variant %s weight %s", seed, variants[v], weights[v])
                    .isCloseTo(KEYS * p, org.assertj.core.data.Offset.offset(5 * sigma));
        }
    }

    private static String variantFor(int bucket, int aBound, int bBound) {
        return bucket < aBound ? "a" : bucket < bBound ? "b" : "c";
    }
}
