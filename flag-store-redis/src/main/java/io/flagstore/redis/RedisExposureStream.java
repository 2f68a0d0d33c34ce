package io.flagstore.redis;

import io.flagstore.core.spi.Exposure;
import io.flagstore.core.spi.ExposureSink;
import io.flagstore.redis.internal.ExperimentWriter;
import java.util.List;
import java.util.Objects;

/**
 * An {@link io.flagstore.core.spi.ExposureSink} appending every exposure to the namespace's capped
 * stream {@code flagstore:{ns}:exposures} (fields {@code flag}, {@code variant}, {@code unit}, {@code
 * context}, {@code run}, {@code at}), for a warehouse job to read with {@code XREAD} or a consumer
 * group. Trimmed to about {@link #maxLength()} entries ({@code XADD MAXLEN ~}), so a consumer that
 * falls behind further loses the oldest.
 *
 * <pre>{@code
 * FlagClient flags = FlagClient.builder()
 *         .source(source)
 *         .exposureSink(RedisExposureStream.create(options, RedisExposureStream.DEFAULT_MAX_LENGTH))
 *         .build();
 * }</pre>
 *
 * <p>Own connection, opened at the first batch. Thread-safe; close it after the client.
 */
public final class RedisExposureStream implements ExposureSink, AutoCloseable {
    /** A million entries: about a day of exposures of a busy experiment, some 200 MB in Redis. */
    public static final long DEFAULT_MAX_LENGTH = 1_000_000;

    private final ExperimentWriter writer;
    private final long maxLength;
    private final String namespace;

    private RedisExposureStream(RedisOptions options, long maxLength) {
        this.writer = new ExperimentWriter(options);
        this.maxLength = maxLength;
        this.namespace = options.namespace();
    }

    /**
     * A stream sink for {@code options}' namespace.
     *
     * @param maxLength about how many entries the stream keeps
     * @throws IllegalArgumentException if {@code maxLength} is not positive
     */
    public static RedisExposureStream create(RedisOptions options, long maxLength) {
        Objects.requireNonNull(options, "options");
        if (maxLength <= 0) {
            throw new IllegalArgumentException("maxLength must be positive, was " + maxLength);
        }
        return new RedisExposureStream(options, maxLength);
    }

    /** About how many entries the stream keeps. */
    public long maxLength() {
        return maxLength;
    }

    /**
     * Appends the batch, pipelined.
     *
     * @throws io.flagstore.core.StoreUnavailableException when Redis cannot be reached or refuses
     */
    @Override
    public void exposed(List<Exposure> exposures) {
        writer.append(exposures, maxLength);
    }

    @Override
    public void close() {
        writer.close();
    }

    @Override
    public String toString() {
        return "RedisExposureStream[" + namespace + ", maxLength " + maxLength + "]";
    }
}
