package io.flagstore.core;

/** Why the caller's default was served, when {@link EvaluationDetail#reason()} is {@link Reason#ERROR}. */
public enum ErrorKind {
    /** No flag with the requested key exists. */
    FLAG_NOT_FOUND,
    /** The flag's type does not match the getter used (for example a string flag read as boolean). */
    TYPE_MISMATCH,
    /** The flag's definition is broken (for example an unknown variant or a prerequisite cycle). */
    MALFORMED_FLAG,
    /** The client has not received any flag data yet. */
    NOT_READY,
    /** Something unexpected failed during evaluation. */
    GENERAL
}
