package io.flagstore.core.spi;

/**
 * Delivers flag data to a client: a full {@link FlagData} first, then incremental {@link FlagUpdate}s
 * in version order, plus {@link SourceState} changes. Implemented by the in-memory, file and Redis
 * sources; a custom source implements only this.
 *
 * <p>A source is started once by one client and closed by it.
 */
public interface FlagSource extends AutoCloseable {
    /**
     * Starts delivering to {@code sink}, asynchronously or not. The client waits for the first
     * {@link FlagSink#init} up to its start timeout; a source that cannot reach its store reports
     * {@link SourceState#STALE} and keeps trying.
     */
    void start(FlagSink sink);

    /** Stops delivering and releases threads and connections. Idempotent. */
    @Override
    void close();
}
