package io.flagstore.cli;

/** A failure the CLI reports itself: one-line message, a hint, and a documented exit code. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String hint;

    CliException(int exitCode, String message, String hint) {
        super(message);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    int exitCode() {
        return exitCode;
    }

    /** What the operator can do next, or {@code null}. */
    String hint() {
        return hint;
    }
}
