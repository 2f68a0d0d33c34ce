package io.flagstore.core.model;

/**
 * Size limits of definitions, documented in docs/flag-format.md. They keep one bad write from
 * bloating every service's memory and the pub/sub channel, and bound parsing work.
 */
final class Limits {
    static final int FLAG_JSON_BYTES = 1 << 20;
    static final int SEGMENT_JSON_BYTES = 4 << 20;
    static final int DOCUMENT_JSON_BYTES = 64 << 20;
    static final int NESTING_DEPTH = 64;
    static final int VARIANTS = 100;
    static final int RULES = 1_000;
    static final int CLAUSES_PER_RULE = 100;
    static final int VALUES_PER_CLAUSE = 1_000;
    static final int TARGETS_PER_VARIANT = 10_000;
    static final int ROLLOUT_VARIANTS = 100;
    static final int PREREQUISITES = 100;
    static final int TAGS = 50;
    static final int EXPERIMENT_METRICS = 20;
    static final int SEGMENT_KEYS = 100_000;
    static final int SEGMENT_RULES = 1_000;
    /** Attribute names, owner, salt, updatedBy, bucketBy. */
    static final int NAME_LENGTH = 256;
    /** Context keys (targets, segment lists) and string clause values. */
    static final int VALUE_LENGTH = 1_024;

    static final int DESCRIPTION_LENGTH = 4_096;

    private Limits() {}
}
