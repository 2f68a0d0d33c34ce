package io.flagstore.redis;

import io.flagstore.core.StoreUnavailableException;

/**
 * A write was sent to Redis but its reply never came within the command timeout (it timed out, or
 * its connection broke after sending and sending it again over a new one got no reply either): it
 * may or may not have happened, at most once. Do not assume either; check the namespace
 * version ({@link FlagAdmin#info()}) and the newest audit entries ({@link FlagAdmin#history(int)}),
 * which show the write with its actor and reason if it happened.
 */
public class WriteOutcomeUnknownException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;

    private final String op;

    /**
     * Creates the exception.
     *
     * @param op the write's audit op (e.g. {@code disable})
     * @param message what happened, with the Redis address (no credentials)
     * @param cause the Lettuce failure
     */
    public WriteOutcomeUnknownException(String op, String message, Throwable cause) {
        super(message, cause);
        this.op = op;
    }

    /** {@return the write's audit op} */
    public String op() {
        return op;
    }
}
