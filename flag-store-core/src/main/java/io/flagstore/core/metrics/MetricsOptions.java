package io.flagstore.core.metrics;

import java.time.Duration;
import java.util.Objects;

/**
 * How much detail {@link FlagStoreMetrics} and the evaluation counters record. Per-flag tags are
 * what dashboards need, but each distinct flag (and variant) is a time series: the number of flags
 * tagged individually is capped, and flags beyond the cap share the tag {@code flag=}{@value
 * #OTHER_FLAG} on counters and get no per-flag gauges.
 *
 * <p>Also the switch of usage recording (which flags a service evaluates, for {@code flagctl stale};
 * docs/flag-debt.md), which does not need a meter registry: {@link Builder#usageInterval(Duration)}.
 *
 * <p>Immutable and thread-safe. {@code MetricsOptions.builder().maxTaggedFlags(100).build()}.
 */
public final class MetricsOptions {
    /** Default of {@link Builder#maxTaggedFlags(int)}. */
    public static final int DEFAULT_MAX_TAGGED_FLAGS = 500;
    /** The {@code flag} tag of evaluations of flags beyond {@link #maxTaggedFlags()}. */
    public static final String OTHER_FLAG = "__other__";
    /** Default of {@link Builder#usageInterval(Duration)}. */
    public static final Duration DEFAULT_USAGE_INTERVAL = Duration.ofSeconds(60);

    private static final MetricsOptions DEFAULTS = builder().build();

    private final int maxTaggedFlags;
    private final boolean variantTag;
    private final Duration usageInterval;

    private MetricsOptions(Builder builder) {
        this.maxTaggedFlags = builder.maxTaggedFlags;
        this.variantTag = builder.variantTag;
        this.usageInterval = builder.usageInterval;
    }

    /** The defaults: {@value #DEFAULT_MAX_TAGGED_FLAGS} flags tagged, variant tag on, usage recorded every 60 s. */
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

    /** How often the flags evaluated are handed to a source that records usage; zero when off. */
    public Duration usageInterval() {
        return usageInterval;
    }

    /** Whether usage is recorded ({@link #usageInterval()} is not zero). */
    public boolean recordsUsage() {
        return !usageInterval.isZero();
    }

    @Override
    public String toString() {
        return "MetricsOptions[maxTaggedFlags=" + maxTaggedFlags + ", variantTag=" + variantTag + ", usageInterval="
                + usageInterval + "]";
    }

    /** Builder for {@link MetricsOptions}; not thread-safe. */
    public static final class Builder {
        private int maxTaggedFlags = DEFAULT_MAX_TAGGED_FLAGS;
        private boolean variantTag = true;
        private Duration usageInterval = DEFAULT_USAGE_INTERVAL;

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

        /**
         * How often the flags evaluated since the last time are handed to the client's source, when
         * it records usage (it implements {@code UsageSink}, as the Redis source does;
         * docs/flag-debt.md). Default 60 s; {@link Duration#ZERO} turns usage recording off. Applies
         * with or without a meter registry.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder usageInterval(Duration usageInterval) {
            Objects.requireNonNull(usageInterval, "usageInterval");
            if (usageInterval.isNegative()) {
                throw new IllegalArgumentException("usageInterval must not be negative, was " + usageInterval);
            }
            this.usageInterval = usageInterval;
            return this;
        }

        /** The options; the builder can go on being used. */
        public MetricsOptions build() {
            return new MetricsOptions(this);
        }
    }
}
