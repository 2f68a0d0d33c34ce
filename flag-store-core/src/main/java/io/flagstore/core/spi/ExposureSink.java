package io.flagstore.core.spi;

import java.util.List;

/**
 * Receives the exposures of running experiments in batches (docs/experiments.md), for example to
 * ship raw events to a warehouse. Register with {@code FlagClient.Builder.exposureSink}; built in:
 * {@code JsonLinesExposureSink} (core) and {@code RedisExposureStream} (flag-store-redis).
 *
 * <p>Called from the client's experiment thread only, never from an evaluating thread, one batch at
 * a time. Should not block for long; an exception is logged (once until the sink succeeds again) and
 * the batch is dropped for this sink.
 */
@FunctionalInterface
public interface ExposureSink {
    /**
     * Takes one batch of exposures.
     *
     * @param exposures never empty, unmodifiable
     */
    void exposed(List<Exposure> exposures);
}
