package io.flagstore.core.metrics;

/**
 * How much detail {@link FlagStoreMetrics} and the evaluation counters record. Per-flag tags are
 * what dashboards need, but each distinct flag (and variant) is a time series: the number of flags
 * tagged individually is capped, and flags beyond the cap share the tag {@code flag=}{@value
 * #OTHER_FLAG} on counters and get no per-flag gauges.
 *
 * <p>Immutable and thread-safe. {@code MetricsOptions.builder().maxTaggedFlags(100).build()}.
 */
public final class MetricsOptions {
    /** Default of {@link Builder#maxTaggedFlags(int)}. */
    public static final int DEFAULT_MAX_TAGGED_FLAGS = 500;
    /** The {@code flag} tag of evaluations of flags beyond {@link #maxTaggedFlags()}. */
    public static final String OTHER_FLAG = "__other__";

    private static final MetricsOptions DEFAULTS = builder().build();

    private final int maxTaggedFlags;
    private final boolean variantTag;

    private MetricsOptions(Builder builder) {
        this.maxTaggedFlags = builder.maxTaggedFlags;
        this.variantTag = builder.variantTag;
    }

    /** The defaults: {@value #DEFAULT_MAX_TAGGED_FLAGS} flags tagged, variant tag on. */
    public static MetricsOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** How many distinct flags get their own {@code flag} tag (first come, first served). */
    public int maxTaggedFlags() {
        return maxTaggedFlags;
    }

    /** Whether {@code flagstore.evaluations} carries a {@code variant} tag. */
    public boolean variantTag() {
        return variantTag;
    }

    @Override
    public String toString() {
        return "MetricsOptions[maxTaggedFlags=" + maxTaggedFlags + ", variantTag=" + variantTag + "]";
    }

    /** Builder for {@link MetricsOptions}; not thread-safe. */
    public static final class Builder {
        private int maxTaggedFlags = DEFAULT_MAX_TAGGED_FLAGS;
        private boolean variantTag = true;

        private Builder() {}

        /**
         * Caps the flags tagged individually; 0 tags every flag {@value #OTHER_FLAG}.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxTaggedFlags(int maxTaggedFlags) {
            if (maxTaggedFlags < 0) {
                throw new IllegalArgumentException("maxTaggedFlags must be >= 0, was " + maxTaggedFlags);
            }
            this.maxTaggedFlags = maxTaggedFlags;
            return this;
        }

        /** Whether to tag evaluations with the variant served (default true); off divides the series. */
        public Builder variantTag(boolean variantTag) {
            this.variantTag = variantTag;
            return this;
        }

        public MetricsOptions build() {
            return new MetricsOptions(this);
        }
    }
}
