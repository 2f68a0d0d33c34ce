package io.flagstore.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A point-in-time view of a {@link FlagClient}'s state, for health checks and logs. Immutable.
 *
 * @param state the client's state
 * @param appliedVersion the namespace version of the flag set served (0 before the first one)
 * @param lastUpdate when the source last delivered data or confirmed its data current, or {@code
 *     null} if it never did
 * @param sinceLastUpdate time elapsed since {@code lastUpdate} when this view was taken, or {@code
 *     null} if it never happened
 * @param updatesReceived how many full sets and incremental updates the source has delivered
 * @param message the source's last detail (for example why it is stale), or {@code null}
 */
public record ClientHealth(
        ClientState state,
        long appliedVersion,
        Instant lastUpdate,
        Duration sinceLastUpdate,
        long updatesReceived,
        String message) {
    public ClientHealth {
        Objects.requireNonNull(state, "state");
    }

    /** {@return whether the client holds a flag set and the source reports it current ({@link ClientState#READY})} */
    public boolean isReady() {
        return state == ClientState.READY;
    }
}
