/**
 * For operators and dashboards: the Micrometer meters of a {@link io.flagstore.core.FlagClient}
 * ({@link io.flagstore.core.metrics.FlagStoreMetrics}) and their cardinality options ({@link
 * io.flagstore.core.metrics.MetricsOptions}). Wired by {@code FlagClient.builder().meterRegistry(…)};
 * the meters are listed in docs/metrics.md.
 */
package io.flagstore.core.metrics;
