package io.flagstore.redis;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.WeightedVariant;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * A change to make at a later time (docs/scheduling.md): turn a flag on or off, set its rollout
 * weights, or write a batch of flag upserts and deletes. It is stored as a description and turned
 * into a write when it runs, against the flags as they are then. Immutable.
 *
 * @param kind what to do
 * @param key the flag of an enable, disable or rollout; {@code null} for a batch
 * @param weights the rollout slices of a rollout, else empty
 * @param puts the flags a batch creates or replaces, else empty
 * @param deletes the flag keys a batch deletes, else empty
 * @param due when to apply it (kept to the millisecond)
 */
public record ScheduledChange(
        Kind kind, String key, List<WeightedVariant> weights, List<Flag> puts, List<String> deletes, Instant due) {

    /** What a scheduled change does when it runs. */
    public enum Kind {
        /** {@link FlagAdmin#enable}. */
        ENABLE("enable"),
        /** {@link FlagAdmin#disable}. */
        DISABLE("disable"),
        /** {@link FlagAdmin#setRollout}. */
        ROLLOUT("setRollout"),
        /** {@link FlagAdmin#apply(Batch, WriteOptions)} of flag upserts and deletes. */
        BATCH("batch");

        private final String op;

        Kind(String op) {
            this.op = op;
        }

        /** {@return the audit op of the write this kind makes, also its name in stored descriptions} */
        public String op() {
            return op;
        }
    }

    /**
     * Checks the shape; whether the change fits the flags is checked when it is scheduled and again
     * when it runs.
     *
     * @throws IllegalArgumentException if a part needed by {@code kind} is missing or one it does
     *     not take is given
     */
    public ScheduledChange {
        Objects.requireNonNull(kind, "kind");
        due = Objects.requireNonNull(due, "due").truncatedTo(ChronoUnit.MILLIS);
        weights = List.copyOf(weights);
        puts = List.copyOf(puts);
        deletes = List.copyOf(deletes);
        if ((kind == Kind.BATCH) != (key == null)) {
            throw new IllegalArgumentException(
                    kind == Kind.BATCH
                            ? "a scheduled batch has no single key"
                            : "a scheduled " + kind.op + " needs a key");
        }
        if ((kind == Kind.ROLLOUT) == weights.isEmpty()) {
            throw new IllegalArgumentException(
                    kind == Kind.ROLLOUT ? "a scheduled rollout needs weights" : "only a rollout has weights");
        }
        if (kind != Kind.BATCH && !(puts.isEmpty() && deletes.isEmpty())) {
            throw new IllegalArgumentException("only a batch has puts and deletes");
        }
        if (kind == Kind.BATCH && puts.isEmpty() && deletes.isEmpty()) {
            throw new IllegalArgumentException("a scheduled batch needs at least one put or delete");
        }
    }

    /** Turn flag {@code key} on at {@code due}. */
    public static ScheduledChange enable(String key, Instant due) {
        return new ScheduledChange(
                Kind.ENABLE, Objects.requireNonNull(key, "key"), List.of(), List.of(), List.of(), due);
    }

    /** Turn flag {@code key} off at {@code due}. */
    public static ScheduledChange disable(String key, Instant due) {
        return new ScheduledChange(
                Kind.DISABLE, Objects.requireNonNull(key, "key"), List.of(), List.of(), List.of(), due);
    }

    /** Make the fallthrough of flag {@code key} a rollout over {@code weights} at {@code due}. */
    public static ScheduledChange rollout(String key, List<WeightedVariant> weights, Instant due) {
        return new ScheduledChange(
                Kind.ROLLOUT, Objects.requireNonNull(key, "key"), weights, List.of(), List.of(), due);
    }

    /** Create or replace {@code puts} and delete {@code deletes}, in one write, at {@code due}. */
    public static ScheduledChange batch(List<Flag> puts, List<String> deletes, Instant due) {
        return new ScheduledChange(Kind.BATCH, null, List.of(), puts, deletes, due);
    }

    /**
     * A ramp: one rollout step per entry of {@code percentByTime}, each serving {@code variant} to
     * that percentage and {@code rest} to the others, e.g. {@code 10@t1, 50@t2, 100@t3}.
     *
     * @throws IllegalArgumentException if there are no steps or a percentage is outside 0..100
     */
    public static List<ScheduledChange> ramp(
            String key, String variant, String rest, SortedMap<Instant, Double> percentByTime) {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(rest, "rest");
        if (percentByTime.isEmpty()) {
            throw new IllegalArgumentException("a ramp needs at least one step");
        }
        List<ScheduledChange> steps = new ArrayList<>();
        for (Map.Entry<Instant, Double> step : percentByTime.entrySet()) {
            double percent = step.getValue();
            if (!(percent >= 0 && percent <= 100)) {
                throw new IllegalArgumentException("a ramp step must be 0 to 100 percent, not " + percent);
            }
            steps.add(rollout(
                    key,
                    List.of(new WeightedVariant(variant, percent), new WeightedVariant(rest, 100 - percent)),
                    step.getKey()));
        }
        return steps;
    }

    /** {@return the flag keys this change writes, for listings and the audit} */
    public List<String> keys() {
        if (kind != Kind.BATCH) {
            return List.of(key);
        }
        List<String> out = new ArrayList<>();
        puts.forEach(f -> out.add(f.key()));
        out.addAll(deletes);
        return out;
    }
}
