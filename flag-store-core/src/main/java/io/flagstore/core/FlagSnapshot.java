package io.flagstore.core;

import io.flagstore.core.internal.CompiledSnapshot;
import io.flagstore.core.internal.EvalResult;
import io.flagstore.core.internal.ExperimentArm;
import io.flagstore.core.model.Flag;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable flag set as a {@link FlagClient} held it at one moment: evaluating several flags
 * against the same snapshot gives answers that all belong to one version, even while updates
 * arrive (a batch is seen whole or not at all).
 *
 * <pre>{@code
 * FlagSnapshot flags = client.snapshot();
 * boolean checkout = flags.isEnabled("new-checkout", ctx);
 * String theme = flags.stringValue("checkout-theme", ctx, "classic");
 * }</pre>
 *
 * <p>The getters behave exactly like {@link FlagClient}'s (same defaults, reasons, local overrides
 * and metrics) and never throw: a {@code null} key serves the default with {@link
 * ErrorKind#FLAG_NOT_FOUND}, a {@code null} context with {@link ErrorKind#GENERAL}; a flag of
 * another type than asked for serves the default with {@link ErrorKind#TYPE_MISMATCH}. Before the
 * client received its first flag set, a missing flag reports {@link ErrorKind#NOT_READY}.
 *
 * <p>Immutable and thread-safe. Holding a snapshot keeps its flag set in memory; take a fresh one
 * per request rather than caching it.
 */
public final class FlagSnapshot {
    private final CompiledSnapshot compiled;
    private final boolean ready;
    private final LocalOverrides overrides; // null when none configured: skips the lookup entirely
    private final EvaluationMeters meters; // null when metrics are off
    private final UsageTracker usage; // null when the source takes no usage
    private final ExperimentRecorder experiments; // null when nothing takes exposures

    FlagSnapshot(
            CompiledSnapshot compiled,
            boolean ready,
            LocalOverrides overrides,
            EvaluationMeters meters,
            UsageTracker usage,
            ExperimentRecorder experiments) {
        this.compiled = compiled;
        this.ready = ready;
        this.overrides = overrides;
        this.meters = meters;
        this.usage = usage;
        this.experiments = experiments;
    }

    FlagSnapshot withCompiled(CompiledSnapshot newCompiled) {
        return new FlagSnapshot(newCompiled, true, overrides, meters, usage, experiments);
    }

    /**
     * The same flag set whose evaluations are not recorded (no evaluation meters, usage or
     * exposures): for change listeners, whose reads describe a change rather than serve a request.
     */
    FlagSnapshot unrecorded() {
        return new FlagSnapshot(compiled, ready, overrides, null, null, null);
    }

    /** Records an outcome for the running experiments judged on {@code metric} (see {@link FlagClient#track}). */
    void track(String metric, EvaluationContext context, Double value) {
        if (experiments != null) {
            experiments.track(compiled, metric, context, value);
        }
    }

    CompiledSnapshot compiled() {
        return compiled;
    }

    boolean isReady() {
        return ready;
    }

    /** {@return the namespace version of this flag set (0 before the first one arrived)} */
    public long version() {
        return compiled.version();
    }

    /** {@return how many flags this set holds} */
    public int size() {
        return compiled.flags().size();
    }

    /** {@return every flag definition by key; unmodifiable} */
    public Map<String, Flag> flags() {
        return compiled.flags();
    }

    /**
     * The definition of flag {@code key}, if this set holds it.
     *
     * @throws NullPointerException if {@code key} is null (a lookup, not an evaluation)
     */
    public Optional<Flag> flag(String key) {
        return Optional.ofNullable(compiled.flag(Objects.requireNonNull(key, "key")));
    }

    /** {@return the value of a boolean flag, or {@code defaultValue} when it cannot be served} */
    public boolean boolValue(String key, EvaluationContext context, boolean defaultValue) {
        EvalResult result = plain(key, context);
        int served = result == null ? EvalResult.NO_BOOLEAN : result.servedBoolean();
        if (served != EvalResult.NO_BOOLEAN) {
            count(result, context);
            return served == EvalResult.TRUE;
        }
        return evaluate(key, context, Conversion.BOOLEAN, defaultValue).value();
    }

    /** Shorthand for {@code boolValue(key, context, false)}: off unless the flag says on. */
    public boolean isEnabled(String key, EvaluationContext context) {
        return boolValue(key, context, false);
    }

    /** {@return the value of a string flag, or {@code defaultValue} (may be {@code null}) when it cannot be served} */
    public String stringValue(String key, EvaluationContext context, String defaultValue) {
        EvalResult result = plain(key, context);
        if (result != null && result.value() instanceof String value) {
            count(result, context);
            return value;
        }
        return evaluate(key, context, Conversion.STRING, defaultValue).value();
    }

    /** {@return the value of a number flag, or {@code defaultValue} when it cannot be served} */
    public double numberValue(String key, EvaluationContext context, double defaultValue) {
        EvalResult result = plain(key, context);
        if (result != null && result.value() instanceof Double value) {
            count(result, context);
            return value;
        }
        return evaluate(key, context, Conversion.NUMBER, defaultValue).value();
    }

    /**
     * The value of a number flag as an {@code int}, or {@code defaultValue} when it cannot be served;
     * a value that is not integral or not within {@code int} range is a {@link ErrorKind#TYPE_MISMATCH}.
     */
    public int intValue(String key, EvaluationContext context, int defaultValue) {
        EvalResult result = plain(key, context);
        if (result != null && result.value() instanceof Double value && Conversion.isInt(value)) {
            count(result, context);
            return value.intValue();
        }
        return evaluate(key, context, Conversion.INT, defaultValue).value();
    }

    /**
     * The value of a flag converted to {@code type} with Jackson (typically a JSON flag into a
     * record or {@code Map}), or {@code defaultValue} when it cannot be served or converted.
     */
    public <T> T jsonValue(String key, EvaluationContext context, Class<T> type, T defaultValue) {
        return jsonDetail(key, context, type, defaultValue).value();
    }

    /** Like {@link #boolValue}, with the variant, reason and matched rule. */
    public EvaluationDetail<Boolean> boolDetail(String key, EvaluationContext context, boolean defaultValue) {
        return evaluate(key, context, Conversion.BOOLEAN, defaultValue);
    }

    /** Like {@link #stringValue}, with the variant, reason and matched rule. */
    public EvaluationDetail<String> stringDetail(String key, EvaluationContext context, String defaultValue) {
        return evaluate(key, context, Conversion.STRING, defaultValue);
    }

    /** Like {@link #numberValue}, with the variant, reason and matched rule. */
    public EvaluationDetail<Double> numberDetail(String key, EvaluationContext context, double defaultValue) {
        return evaluate(key, context, Conversion.NUMBER, defaultValue);
    }

    /** Like {@link #jsonValue}, with the variant, reason and matched rule. */
    public <T> EvaluationDetail<T> jsonDetail(String key, EvaluationContext context, Class<T> type, T defaultValue) {
        Objects.requireNonNull(type, "type");
        return evaluate(key, context, Conversion.json(type), defaultValue);
    }

    /**
     * The value of any flag as the engine serves it (Boolean, String, Double, or a copy of the Jackson
     * {@code JsonNode} for JSON flags), with its detail; the value is {@code null} when the flag
     * cannot be served.
     */
    public EvaluationDetail<Object> detail(String key, EvaluationContext context) {
        return evaluate(key, context, Conversion.json(Object.class), null);
    }

    /**
     * Implementation notes: the hot path of the library. With no overrides configured, a served value
     * of the expected type is one evaluation over the compiled snapshot, a check of the value's type
     * and (metrics on) one counter increment, without allocating; {@code null}, an error result (it
     * has no value) or a value of another type leaves everything else (overrides, errors,
     * conversions) to {@link #evaluate}, which may evaluate again: only on those paths. The value's
     * type alone decides, since each flag type serves values of one Java type. Counting checks one
     * precompiled field for an experiment arm; only experiment outcomes do more (an exposure check).
     */
    private EvalResult plain(String key, EvaluationContext context) {
        return overrides == null && key != null && context != null ? compiled.evaluate(key, context) : null;
    }

    private void count(EvalResult result, EvaluationContext context) {
        ExperimentArm arm = result.arm();
        if (arm != null && experiments != null) {
            experiments.exposed(arm, context);
        }
        if (meters != null) {
            meters.evaluated(result);
        }
        if (usage != null) {
            usage.evaluated(result);
        }
    }

    private <T> EvaluationDetail<T> evaluate(
            String key, EvaluationContext context, Conversion<T> conversion, T defaultValue) {
        if (key == null) {
            return failure(null, defaultValue, ErrorKind.FLAG_NOT_FOUND, 0);
        }
        if (context == null) {
            return failure(key, defaultValue, ErrorKind.GENERAL, 0);
        }
        if (overrides != null) {
            LocalOverrides.Value override = overrides.find(key);
            if (override != null) {
                return overridden(key, conversion.fromOverride(override), defaultValue);
            }
        }
        EvalResult result = compiled.evaluate(key, context);
        EvaluationDetail<Object> detail = result.detail();
        if (detail.reason() == Reason.ERROR) {
            ErrorKind kind = detail.errorKind() == ErrorKind.FLAG_NOT_FOUND && !ready
                    ? ErrorKind.NOT_READY
                    : Objects.requireNonNullElse(detail.errorKind(), ErrorKind.GENERAL);
            return failure(key, defaultValue, kind, detail.flagVersion());
        }
        T value = conversion.fromValue(detail.value(), result.type());
        if (value == null) {
            return failure(key, defaultValue, ErrorKind.TYPE_MISMATCH, detail.flagVersion());
        }
        count(result, context);
        if (value == detail.value()) {
            @SuppressWarnings("unchecked") // the value is a T, so the shared detail is one too
            EvaluationDetail<T> same = (EvaluationDetail<T>) (EvaluationDetail<?>) detail;
            return same;
        }
        return new EvaluationDetail<>(
                value,
                detail.variant(),
                detail.reason(),
                detail.ruleIndex(),
                detail.ruleId(),
                null,
                detail.flagVersion());
    }

    private <T> EvaluationDetail<T> overridden(String key, T value, T defaultValue) {
        if (value == null) {
            return failure(key, defaultValue, ErrorKind.TYPE_MISMATCH, 0);
        }
        if (meters != null) {
            meters.evaluated(key, LocalOverrides.VARIANT, Reason.OVERRIDE);
        }
        if (usage != null) {
            usage.evaluated(key);
        }
        return new EvaluationDetail<>(value, LocalOverrides.VARIANT, Reason.OVERRIDE, -1, null, null, 0);
    }

    private <T> EvaluationDetail<T> failure(String key, T defaultValue, ErrorKind kind, long flagVersion) {
        if (meters != null) {
            meters.failed(key, kind);
        }
        if (usage != null && key != null && compiled.flag(key) != null) {
            usage.evaluated(key); // the code asks for an existing flag: it is in use, if wrongly
        }
        return new EvaluationDetail<>(defaultValue, null, Reason.ERROR, -1, null, kind, flagVersion);
    }

    @Override
    public String toString() {
        return "FlagSnapshot[version=" + version() + ", flags=" + size() + "]";
    }
}
