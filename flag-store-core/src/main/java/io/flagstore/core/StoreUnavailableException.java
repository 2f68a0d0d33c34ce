package io.flagstore.core;

/** The store (Redis) could not be reached or refused the command; the cause holds the driver's error. */
public class StoreUnavailableException extends FlagStoreException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
