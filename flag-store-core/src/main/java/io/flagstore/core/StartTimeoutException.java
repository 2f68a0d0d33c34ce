package io.flagstore.core;

import java.time.Duration;

/**
 * A client built with {@link FlagClient.Builder#failFast(boolean) failFast} received no flag set
 * within its start timeout; the client was closed. The message names the source, the timeout and
 * what the source last reported (such as a connection error).
 */
public class StartTimeoutException extends FlagStoreException {
    private static final long serialVersionUID = 1L;

    private final Duration startTimeout;

    public StartTimeoutException(String message, Duration startTimeout) {
        super(message);
        this.startTimeout = startTimeout;
    }

    /** {@return how long the client waited} */
    public Duration startTimeout() {
        return startTimeout;
    }
}
