package io.flagstore.core;

/** What a {@link FlagClient} can say about the flags it serves; see {@link ClientHealth}. */
public enum ClientState {
    /** No flag set received yet: every evaluation serves the caller's default ({@link ErrorKind#NOT_READY}). */
    INITIALIZING,
    /** Holding a flag set, and the source reports it current. */
    READY,
    /** Holding a flag set, but the source cannot reach its store: the flags served may be out of date. */
    STALE,
    /**
     * The store lost its data (for example Redis restarted empty): the client keeps serving its last
     * flag set rather than treating the loss as a mass deletion.
     */
    NAMESPACE_RESET,
    /** Closed: the last flag set is still served, but nothing updates it any more. */
    CLOSED
}
