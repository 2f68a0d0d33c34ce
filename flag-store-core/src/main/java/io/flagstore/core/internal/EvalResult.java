package io.flagstore.core.internal;

import io.flagstore.core.ErrorKind;
import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.Reason;
import io.flagstore.core.model.FlagType;
import java.util.Objects;

/**
 * The result of {@link CompiledSnapshot#evaluate}: a shared outcome (its public detail made on first
 * use) plus what the client needs to type-check and count it. One instance exists per (flag,
 * variant, reason, rule) outcome of a compiled flag, so callers may cache per-outcome state in
 * {@link #recorderSlot}.
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
    private final Object value;
    // The value again for the boolean getter: one int load instead of the value, its class and its
    // field.
    private final int servedBoolean;
    /** The experiment arm this outcome serves, or {@code null}: the client's one check for exposures. */
    private final ExperimentArm arm;

    private final String variant;
    private final Reason reason;
    private final int ruleIndex;
    private final String ruleId;
    private final ErrorKind errorKind;
    private final long flagVersion;
    // The public detail, made on first use: every client holds an outcome per variant, reason and rule
    // of every flag, and a service asks for details of few of them (the value getters never do). A
    // race makes two equal details, which is harmless; their final fields publish them safely.
    private EvaluationDetail<Object> detail;

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
        this(
                flagKey,
                type,
                detail.value(),
                detail.variant(),
                detail.reason(),
                detail.ruleIndex(),
                detail.ruleId(),
                detail.errorKind(),
                detail.flagVersion(),
                null);
        this.detail = detail;
    }

    /** An outcome with the components of its {@link EvaluationDetail}, serving {@code arm} or {@code null}. */
    EvalResult(
            String flagKey,
            FlagType type,
            Object value,
            String variant,
            Reason reason,
            int ruleIndex,
            String ruleId,
            ErrorKind errorKind,
            long flagVersion,
            ExperimentArm arm) {
        this.flagKey = Objects.requireNonNull(flagKey, "flagKey");
        this.type = type;
        this.value = value;
        this.servedBoolean = value instanceof Boolean b ? (b ? TRUE : FALSE) : NO_BOOLEAN;
        this.arm = arm;
        this.variant = variant;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.ruleIndex = ruleIndex;
        this.ruleId = ruleId;
        this.errorKind = errorKind;
        this.flagVersion = flagVersion;
    }

    /** The outcome, shared between evaluations. */
    public EvaluationDetail<Object> detail() {
        EvaluationDetail<Object> d = detail;
        if (d == null) {
            d = new EvaluationDetail<>(value, variant, reason, ruleIndex, ruleId, errorKind, flagVersion);
            detail = d;
        }
        return d;
    }

    /** The outcome's reason, without making its {@link #detail()}. */
    public Reason reason() {
        return reason;
    }

    /** The outcome's variant, or {@code null} on errors, without making its {@link #detail()}. */
    public String variant() {
        return variant;
    }

    /** The key of the flag evaluated. */
    public String flagKey() {
        return flagKey;
    }

    /** The flag's type, or {@code null} when the flag was not found. */
    public FlagType type() {
        return type;
    }

    /** The value served, as in {@code detail().value()}; {@code null} on errors. */
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
        return "EvalResult{" + flagKey + " " + detail() + "}";
    }
}
