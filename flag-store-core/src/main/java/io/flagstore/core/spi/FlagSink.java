package io.flagstore.core.spi;

/**
 * Where a {@link FlagSource} delivers data; implemented by the client. Calls from one source must
 * not overlap (deliver from a single thread or serialize them). Methods return once the change is
 * visible to evaluations, so a source may report the applied version right after.
 */
public interface FlagSink {
    /** Replaces everything held with a complete set. */
    void init(FlagData data);

    /** Applies one incremental write whole (version-gated per key). */
    void apply(FlagUpdate update);

    /**
     * Reports a change of the source's state.
     *
     * @param state the new state
     * @param message a human-readable detail for logs and health views, or {@code null}
     */
    void stateChanged(SourceState state, String message);
}
