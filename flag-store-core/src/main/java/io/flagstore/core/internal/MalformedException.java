package io.flagstore.core.internal;

/** Thrown while compiling a definition the evaluator cannot use; the message names the problem. */
final class MalformedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
        super(message, null, false, false);
    }
}
