package io.flagstore.core;

/**
 * Root of every exception flag-store throws (evaluation never throws; see {@link FlagClient}).
 * Subclasses say what went wrong; a Redis failure keeps the driver's exception as the cause.
 */
public class FlagStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FlagStoreException(String message) {
        super(message);
    }

    public FlagStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
