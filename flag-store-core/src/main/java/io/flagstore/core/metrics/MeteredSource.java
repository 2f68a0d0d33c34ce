package io.flagstore.core.metrics;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Optional capability of a {@link io.flagstore.core.spi.FlagSource} that records meters of its own,
 * as the Redis source does ({@code flagstore.source.*}). A {@code FlagClient} built with {@code
 * meterRegistry(registry)} hands that registry to its source before starting it, so an application
 * gives its registry once, to the client.
 *
 * <p>Kept apart from the SPI package so that a source without metrics needs no Micrometer.
 */
public interface MeteredSource {
    /**
     * Called once, before {@code start}, with the client's registry. A source that was given a
     * registry of its own keeps that one.
     *
     * @param registry where the source's meters go; never {@code null}
     */
    void bindMeters(MeterRegistry registry);
}
