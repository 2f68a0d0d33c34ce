package io.flagstore.core;

/**
 * Why an evaluation produced its value. Reported in {@link EvaluationDetail#reason()} and as a
 * metrics tag.
 */
public enum Reason {
    /** The flag is disabled: its off variant was served (the kill switch beats everything). */
    DISABLED,
    /** A prerequisite flag did not serve the required variant: the off variant was served. */
    PREREQUISITE_FAILED,
    /** The context's key is listed in the flag's individual targets. */
    TARGET_MATCH,
    /** A rule matched; see {@link EvaluationDetail#ruleIndex()}. Also when the rule serves a rollout. */
    RULE_MATCH,
    /** No target or rule matched: the fallthrough variant was served. */
    FALLTHROUGH,
    /** No target or rule matched and the fallthrough is a rollout: the context's slice was served. */
    SPLIT,
    /** A local override (environment variable or system property) decided the value. */
    OVERRIDE,
    /** The caller's default was served; see {@link EvaluationDetail#errorKind()}. */
    ERROR
}
