package io.flagstore.core;

/**
 * The outcome of one evaluation: the value and why it was chosen. Immutable; instances for common
 * outcomes are precomputed and shared.
 *
 * @param <T> the value type
 * @param value the value served (the caller's default when {@code variant} is {@code null}); may be
 *     {@code null} only where the caller's default is
 * @param variant the variant served, or {@code null} when the caller's default was served
 * @param reason why this value was served, never {@code null}
 * @param ruleIndex the index of the matched rule for {@link Reason#RULE_MATCH}, otherwise -1
 * @param ruleId the id of the matched rule for {@link Reason#RULE_MATCH}, otherwise {@code null}
 * @param errorKind what went wrong for {@link Reason#ERROR}, otherwise {@code null}
 * @param flagVersion the version of the flag evaluated, or 0 when there was none
 */
public record EvaluationDetail<T>(
        T value, String variant, Reason reason, int ruleIndex, String ruleId, ErrorKind errorKind, long flagVersion) {

    public EvaluationDetail {
        java.util.Objects.requireNonNull(reason, "reason");
    }

    /** {@return whether the caller's default was served because of an error} */
    public boolean isError() {
        return reason == Reason.ERROR;
    }
}
