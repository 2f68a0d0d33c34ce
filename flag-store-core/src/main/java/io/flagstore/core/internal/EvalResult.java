package io.flagstore.core.internal;

import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.model.FlagType;
import java.util.Objects;

/**
 * The result of {@link CompiledSnapshot#evaluate}: a shared, precomputed detail plus what the client
 * needs to type-check and count it. One instance exists per (flag, variant, reason, rule) outcome of
 * a compiled flag, so callers may cache per-outcome state in {@link #recorderSlot}.
 *
 * <p>Detail values are {@code Boolean} (boolean flags), {@code String}, {@code Double} (number flags)
 * or Jackson {@code JsonNode} (json flags, shared: never mutate it); {@code null} on errors.
 */
public final class EvalResult {
    /** {@link #servedBoolean()} of an outcome serving {@code false}. */
    public static final int FALSE = 0;
    /** {@link #servedBoolean()} of an outcome serving {@code true}. */
    public static final int TRUE = 1;
    /** {@link #servedBoolean()} of an outcome serving no boolean: another type, or an error. */
    public static final int NO_BOOLEAN = -1;

    private final String flagKey;
    private final FlagType type;
    private final EvaluationDetail<Object> detail;
    // The detail's value again, so the client's hot path reads it with one load from this object
    // instead of two dependent ones through the detail.
    private final Object value;
    // The value again for the boolean getter: one int load instead of the value, its class and its
    // field.
    private final int servedBoolean;
    /** The experiment arm this outcome serves, or {@code null}: the client's one check for exposures. */
    private final ExperimentArm arm;

    /**
     * Free for the caller (the client's metrics) to cache a per-outcome object, such as a counter.
     * Written without synchronisation: races are benign as long as every writer stores an equivalent
     * object.
     */
    public Object recorderSlot;

    /** Like {@link #recorderSlot}, for the client's usage tracking (the flag's "evaluated" mark). */
    public Object usageSlot;

    /**
     * @param flagKey the flag evaluated
     * @param type the flag's type, or {@code null} when the flag was not found
     * @param detail the outcome
     */
    public EvalResult(String flagKey, FlagType type, EvaluationDetail<Object> detail) {
        this(flagKey, type, detail, null);
    }

    EvalResult(String flagKey, FlagType type, EvaluationDetail<Object> detail, ExperimentArm arm) {
        this.arm = arm;
        this.flagKey = Objects.requireNonNull(flagKey, "flagKey");
        this.type = type;
        this.detail = Objects.requireNonNull(detail, "detail");
        this.value = detail.value();
        this.servedBoolean = value instanceof Boolean b ? (b ? TRUE : FALSE) : NO_BOOLEAN;
    }

    /** The outcome, shared between evaluations. */
    public EvaluationDetail<Object> detail() {
        return detail;
    }

    /** The key of the flag evaluated. */
    public String flagKey() {
        return flagKey;
    }

    /** The flag's type, or {@code null} when the flag was not found. */
    public FlagType type() {
        return type;
    }

    /** Shorthand for {@code detail().value()}; {@code null} on errors. */
    public Object value() {
        return value;
    }

    /** {@link #TRUE} or {@link #FALSE} when the outcome serves a boolean, else {@link #NO_BOOLEAN}. */
    public int servedBoolean() {
        return servedBoolean;
    }

    /** The experiment arm this outcome serves, or {@code null} when it is not an exposure. */
    public ExperimentArm arm() {
        return arm;
    }

    @Override
    public String toString() {
        return "EvalResult{" + flagKey + " " + detail + "}";
    }
}
