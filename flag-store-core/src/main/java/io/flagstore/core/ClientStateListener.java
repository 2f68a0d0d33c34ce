package io.flagstore.core;

/**
 * Called after a {@link FlagClient}'s {@link ClientState} changed: the first flag set arrived
 * (READY), the source lost its store or got it back (STALE, READY), the namespace was reset, or the
 * client was closed (CLOSED, always the last call). Listeners run off the thread that changed the
 * state, on the client's listener executor, with the same ordering and failure isolation as {@link
 * FlagChangeListener}: each listener sees every transition, in order.
 */
@FunctionalInterface
public interface ClientStateListener {
    /**
     * Handles one transition.
     *
     * @param health the client's health right after the transition, never {@code null}; its {@link
     *     ClientHealth#state()} is the new state
     */
    void onStateChange(ClientHealth health);
}
