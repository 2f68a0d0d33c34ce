package io.flagstore.benchmarks;

import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Prerequisite;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Segment;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.Batch;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * A realistic large flag set for the scale benchmarks, the same for a given size: per 100 flags,
 * 60 kill switches, 20 flags with targets and a three-clause rule serving a rollout, 12 percentage
 * rollouts, 5 flags whose rule names a segment and 3 with a prerequisite (on a kill switch); plus
 * {@link #SEGMENTS} segments of 50 included keys and one rule each. Every flag carries a
 * description, an owner and a tag.
 *
 * <p>Edits ({@link #flag(int, int)} with a generation above 0) are what operators do all day:
 * toggle a kill switch, move a rollout percentage, change targets, reword a description; they keep
 * rules and prerequisites as they are (an admin write that changes prerequisites or variants
 * re-validates the whole namespace's references, docs/benchmarks.md "Scale"; {@link WriteBenchmark}
 * measures such writes).
 */
final class ScaleFlags {
    static final int SEGMENTS = 20;
    /** A flag of the set with targets, a three-clause rule and a rollout (like EvaluationBenchmark's). */
    static final String TARGETED = "flag-60";

    private ScaleFlags() {}

    static String key(int i) {
        return "flag-" + i;
    }

    /** Flag {@code i} of the set, at its {@code generation}-th edit (a storm write changes it this way). */
    static Flag flag(int i, int generation) {
        Flag.Builder b =
                switch (i % 100 < 60 ? 0 : i % 100 < 80 ? 1 : i % 100 < 92 ? 2 : i % 100 < 97 ? 3 : 4) {
                    case 0 -> Flag.booleanFlag(key(i)).enabled(generation % 2 == 0);
                    case 1 -> rules(i, generation);
                    case 2 -> Flag.booleanFlag(key(i))
                            .enabled(true)
                            .fallthrough(rollout(10 + (generation * 7 + i) % 81));
                    case 3 -> Flag.booleanFlag(key(i))
                            .enabled(generation % 3 != 2)
                            .fallthrough(Serve.variant(Flag.OFF))
                            .rule(new Rule(
                                    "in-segment",
                                    null,
                                    List.of(new Clause(
                                            "key",
                                            Operator.IN_SEGMENT,
                                            Workload.texts("segment-" + i % SEGMENTS),
                                            false)),
                                    Serve.variant(Flag.ON)));
                    default -> Flag.booleanFlag(key(i))
                            .enabled(generation % 3 != 2)
                            .prerequisite(new Prerequisite(key((i / 100) * 100 + i % 60), Flag.ON));
                };
        return b.description("scale flag " + i + " (edit " + generation + ")")
                .owner("team-" + i % 20)
                .tags(List.of("area-" + i % 10))
                .build();
    }

    private static Flag.Builder rules(int i, int generation) {
        return Flag.booleanFlag(key(i))
                .enabled(true)
                .fallthrough(Serve.variant(Flag.OFF))
                .target(Flag.ON, List.of("user-" + i, "vip-" + (i + generation)))
                .rule(Workload.eligibleRollout());
    }

    private static Serve rollout(int onPercent) {
        return Serve.rollout(new Rollout(
                List.of(new WeightedVariant(Flag.ON, onPercent), new WeightedVariant(Flag.OFF, 100 - onPercent)),
                null));
    }

    /** Writes the {@link #segments()} and {@code count} {@link #flags(int)} in batches of 500. */
    static void seed(FlagAdmin admin, int count) {
        Batch.Builder segments = Batch.builder();
        segments().forEach(segments::putSegment);
        admin.apply(segments.build(), WriteOptions.defaults());
        List<Flag> flags = flags(count);
        // kill switches first: the prerequisite flags name them
        flags.sort((a, b) ->
                Boolean.compare(!a.prerequisites().isEmpty(), !b.prerequisites().isEmpty()));
        Batch.Builder batch = Batch.builder();
        for (int i = 0; i < flags.size(); i++) {
            batch.put(flags.get(i));
            if ((i + 1) % 500 == 0 || i == flags.size() - 1) {
                admin.apply(batch.build(), WriteOptions.defaults());
                batch = Batch.builder();
            }
        }
    }

    static List<Flag> flags(int count) {
        List<Flag> flags = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            flags.add(flag(i, 0));
        }
        return flags;
    }

    static List<Segment> segments() {
        List<Segment> segments = new ArrayList<>();
        for (int s = 0; s < SEGMENTS; s++) {
            List<String> included = new ArrayList<>();
            for (int k = 0; k < 50; k++) {
                included.add("user-" + (s * 1000 + k));
            }
            segments.add(new Segment(
                    "segment-" + s,
                    "scale segment " + s,
                    included,
                    List.of(),
                    List.of(List.of(new Clause("plan", Operator.IN, Workload.texts("enterprise"), false))),
                    null,
                    0));
        }
        return segments;
    }
}
