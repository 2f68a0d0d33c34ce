package io.flagstore.redis;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What Redis counted for one run of an experiment (docs/experiments.md), as read by {@link
 * ExperimentStore#counts}: unique exposed units per variant, and per metric unique converted units,
 * outcome counts and value sums per variant. Unique counts are HyperLogLog estimates (standard error
 * 0.81 %). Immutable; maps keep the rollout's variant order and the experiment's metric order.
 *
 * @param flagKey the experiment's flag
 * @param run the run's {@code startAt}
 * @param exposed variant to unique exposed units
 * @param metrics metric to its counts
 */
public record ExperimentCounts(
        String flagKey, Instant run, Map<String, Long> exposed, Map<String, MetricCounts> metrics) {
    public ExperimentCounts {
        Objects.requireNonNull(flagKey, "flagKey");
        Objects.requireNonNull(run, "run");
        exposed = Collections.unmodifiableMap(new LinkedHashMap<>(exposed));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /**
     * The counts of one metric.
     *
     * @param converted variant to unique units with at least one outcome
     * @param outcomes variant to outcomes tracked (not unique)
     * @param valueSums variant to the sum of the outcomes' values
     */
    public record MetricCounts(Map<String, Long> converted, Map<String, Long> outcomes, Map<String, Double> valueSums) {
        public MetricCounts {
            converted = Collections.unmodifiableMap(new LinkedHashMap<>(converted));
            outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
            valueSums = Collections.unmodifiableMap(new LinkedHashMap<>(valueSums));
        }
    }
}
