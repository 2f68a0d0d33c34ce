package io.flagstore.core.spi;

/** What a {@link FlagSource} reports about its connection to the truth. */
public enum SourceState {
    /** Started, no data delivered yet. */
    INITIALIZING,
    /** Connected and up to date as far as the source knows. */
    VALID,
    /** The truth is unreachable; the client keeps serving its last snapshot, which may be stale. */
    STALE,
    /**
     * The store lost its data (e.g. Redis restarted empty); the client keeps serving its last
     * snapshot and refuses to treat the loss as a mass deletion until the namespace is re-seeded.
     */
    NAMESPACE_RESET,
    /** Closed; nothing more will be delivered. */
    CLOSED
}
