package io.flagstore.core;

import io.flagstore.core.model.Flag;
import java.util.Objects;

/**
 * A change of one flag's definition, as applied by a {@link FlagClient}: created ({@link
 * #oldDefinition()} is {@code null}), deleted ({@link #newDefinition()} is {@code null}) or
 * updated. Changes of write metadata only (version, creation and update time, actor) produce no event. Immutable and
 * thread-safe.
 *
 * <p>Evaluations through {@link #oldValue}, {@link #newValue}, {@link #before()} and {@link #after()}
 * are not recorded: they count in no {@code flagstore.evaluations} meter, mark no flag as used and
 * expose no context to an experiment, since they describe a change rather than serve a request.
 */
public final class FlagChangeEvent {
    private final String key;
    private final Flag oldDefinition;
    private final Flag newDefinition;
    private final FlagSnapshot before;
    private final FlagSnapshot after;

    FlagChangeEvent(String key, Flag oldDefinition, Flag newDefinition, FlagSnapshot before, FlagSnapshot after) {
        this.key = key;
        this.oldDefinition = oldDefinition;
        this.newDefinition = newDefinition;
        this.before = before;
        this.after = after;
    }

    /** {@return the flag's key} */
    public String key() {
        return key;
    }

    /** {@return the definition before the change, or {@code null} when the flag was created} */
    public Flag oldDefinition() {
        return oldDefinition;
    }

    /** {@return the definition after the change, or {@code null} when the flag was deleted} */
    public Flag newDefinition() {
        return newDefinition;
    }

    /** {@return the namespace version of the flag set that holds the change} */
    public long version() {
        return after.version();
    }

    /** {@return the whole flag set before the change, for typed evaluations of the old state} */
    public FlagSnapshot before() {
        return before;
    }

    /** {@return the whole flag set with the change applied} */
    public FlagSnapshot after() {
        return after;
    }

    /**
     * What the flag served {@code context} before the change (see {@link FlagSnapshot#detail}), or
     * {@code null} if it did not exist.
     */
    public Object oldValue(EvaluationContext context) {
        return before.detail(key, Objects.requireNonNull(context, "context")).value();
    }

    /** {@return what the flag serves {@code context} after the change, or {@code null} if it was deleted} */
    public Object newValue(EvaluationContext context) {
        return after.detail(key, Objects.requireNonNull(context, "context")).value();
    }

    @Override
    public String toString() {
        String kind = oldDefinition == null ? "created" : newDefinition == null ? "deleted" : "updated";
        return "FlagChangeEvent[" + key + " " + kind + " at version " + version() + "]";
    }
}
