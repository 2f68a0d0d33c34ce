package io.flagstore.core;

/**
 * Called after a flag's definition changed (created, updated or deleted). Listeners run off the
 * thread that applied the change, on the client's listener executor; each listener gets its events
 * in order, and a slow or failing listener delays or affects no other listener. An exception
 * thrown by a listener is logged (once per listener and exception type) and otherwise ignored.
 */
@FunctionalInterface
public interface FlagChangeListener {
    /**
     * Handles one change.
     *
     * @param event the change, never {@code null}
     */
    void onChange(FlagChangeEvent event);
}
