package io.flagstore.core;

/** A listener added with {@link FlagClient#onChange}; closing it stops further calls. Idempotent. */
public interface ListenerRegistration extends AutoCloseable {
    /** Removes the listener; an event already being delivered may still complete. */
    @Override
    void close();
}
