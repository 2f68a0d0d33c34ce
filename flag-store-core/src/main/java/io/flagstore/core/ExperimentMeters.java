package io.flagstore.core;

import io.flagstore.core.metrics.MetricsOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The experiment meters (docs/metrics.md): exposures by flag and variant, outcomes and their value
 * sums by flag, variant and metric, and dropped events. Recorded only by the experiment thread, at
 * each flush, never on an evaluating thread, so plain Micrometer counters do. Cardinality is bounded:
 * only experiment flags are tagged, at most {@link MetricsOptions#maxTaggedFlags()} of them (the rest
 * as {@link MetricsOptions#OTHER_FLAG}), and an experiment has at most 20 metrics.
 */
final class ExperimentMeters {
    static final String EXPOSURES = "flagstore.experiment.exposures";
    static final String CONVERSIONS = "flagstore.experiment.conversions";
    static final String VALUE = "flagstore.experiment.conversion.value";
    static final String DROPPED = "flagstore.experiment.dropped";

    private final MeterRegistry registry;
    private final MetricsOptions options;
    private final Set<String> taggedFlags = ConcurrentHashMap.newKeySet();
    private final Map<Tags, Counter> counters = new ConcurrentHashMap<>();
    private final Counter dropped;
    private long droppedSeen;

    ExperimentMeters(MeterRegistry registry, MetricsOptions options) {
        this.registry = registry;
        this.options = options;
        this.dropped = Counter.builder(DROPPED)
                .description("Exposures and outcomes dropped because the client's queue was full")
                .register(registry);
    }

    void exposed(String flagKey, String variant) {
        counter(
                        EXPOSURES,
                        "Exposures reported: unique per client while remembered",
                        Tags.of("flag", flag(flagKey), "variant", variant))
                .increment();
    }

    void converted(String flagKey, String variant, String metric, Double value) {
        Tags tags = Tags.of("flag", flag(flagKey), "variant", variant, "metric", metric);
        counter(CONVERSIONS, "Outcomes tracked in running experiments", tags).increment();
        if (value != null) {
            counter(VALUE, "Sum of the values of outcomes tracked in running experiments", tags)
                    .increment(value);
        }
    }

    /** Brings the dropped counter up to {@code total} (the recorder's running count). */
    void dropped(long total) {
        if (total > droppedSeen) {
            dropped.increment(total - droppedSeen);
            droppedSeen = total;
        }
    }

    private Counter counter(String name, String description, Tags tags) {
        return counters.computeIfAbsent(
                tags.and("__name", name),
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    private String flag(String flagKey) {
        if (taggedFlags.contains(flagKey)) {
            return flagKey;
        }
        if (taggedFlags.size() < options.maxTaggedFlags()) {
            taggedFlags.add(flagKey);
            return flagKey;
        }
        return MetricsOptions.OTHER_FLAG;
    }
}
