package io.flagstore.console;

import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.VersionConflictException;
import io.flagstore.redis.AccessDeniedException;
import io.flagstore.redis.AdminErrorCode;

/**
 * The error model shared by the JSON API and the pages: an HTTP status, a stable code whose meaning
 * and number are an {@link AdminErrorCode}'s (flagctl's exit codes, docs/cli.md), a message and a hint. Thrown by the
 * console's own checks; {@link #of} translates the admin library's exceptions.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The codes: each names the {@link AdminErrorCode} of the same meaning and an HTTP status. */
    enum Code {
        ERROR(AdminErrorCode.ERROR, 500),
        USAGE(AdminErrorCode.USAGE, 400),
        NOT_FOUND(AdminErrorCode.NOT_FOUND, 404),
        CONFLICT(AdminErrorCode.CONFLICT, 409),
        UNAVAILABLE(AdminErrorCode.UNAVAILABLE, 503),
        INVALID(AdminErrorCode.INVALID, 422),
        DENIED(AdminErrorCode.DENIED, 403),
        NAMESPACE_RESET(AdminErrorCode.NAMESPACE_RESET, 409),
        REPLICATION(AdminErrorCode.REPLICATION, 500),
        VERSION_REGRESSED(AdminErrorCode.VERSION_REGRESSED, 409),
        /** The write was sent but no reply came: the gateway's answer is unknown. */
        OUTCOME_UNKNOWN(AdminErrorCode.OUTCOME_UNKNOWN, 504),
        /** No valid session, token or proxy identity (flagctl has no such case: it is not logged in). */
        UNAUTHENTICATED(AdminErrorCode.DENIED, 401),
        /** If-Match did not match the current version: the compare-and-set conflict of HTTP. */
        PRECONDITION_FAILED(AdminErrorCode.CONFLICT, 412),
        /** A write without If-Match where the API requires it. */
        PRECONDITION_REQUIRED(AdminErrorCode.USAGE, 428);

        final int exitCode;
        final int status;

        Code(AdminErrorCode meaning, int status) {
            this.exitCode = meaning.number();
            this.status = status;
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    final Code code;
    final String hint;

    ApiError(Code code, String message, String hint) {
        super(message);
        this.code = code;
        this.hint = hint;
    }

    /** The error for any exception: ours as they are, the library's translated, anything else as {@code error}. */
    static ApiError of(Throwable e) {
        if (e instanceof ApiError api) {
            return api;
        }
        String message = e.getMessage();
        return switch (AdminErrorCode.of(e)) {
            case NOT_FOUND -> new ApiError(Code.NOT_FOUND, message, "the flag list shows what this namespace holds");
            case CONFLICT -> new ApiError(
                    Code.CONFLICT,
                    message,
                    e instanceof VersionConflictException
                            ? "it changed since you read it: reload, check, retry"
                            : null);
            case NAMESPACE_RESET -> new ApiError(
                    Code.NAMESPACE_RESET,
                    message,
                    "restore the namespace first with a re-seed (docs/operations.md, \"Data loss and recovery\")");
            case VERSION_REGRESSED -> new ApiError(
                    Code.VERSION_REGRESSED,
                    message,
                    "re-seed what Redis holds under a new epoch (docs/operations.md, \"Version went backwards\")");
            case OUTCOME_UNKNOWN -> new ApiError(
                    Code.OUTCOME_UNKNOWN,
                    message,
                    "do not simply retry: the history shows the write if it happened, the fleet page the version");
            case REPLICATION -> new ApiError(
                    Code.REPLICATION, message, "the write is applied; do not simply retry, check the replicas");
            case INVALID -> new ApiError(
                    Code.INVALID,
                    "invalid definition: " + String.join("; ", ((InvalidFlagException) e).problems()),
                    "nothing was written; docs/flag-format.md describes the format");
            case DENIED -> denied(message);
            case UNAVAILABLE -> e instanceof AccessDeniedException
                    ? denied(message)
                    : new ApiError(Code.UNAVAILABLE, "Redis is unavailable: " + message, "check Redis; retry");
            case USAGE -> new ApiError(Code.USAGE, "invalid argument: " + message, "nothing was written");
            default -> new ApiError(
                    Code.ERROR, "internal error (" + e.getClass().getSimpleName() + ")", "see the console's log");
        };
    }

    private static ApiError denied(String message) {
        return new ApiError(
                Code.DENIED,
                "Redis refused the console's user: " + message,
                "the console's Redis user needs the admin role to write (docs/operations.md, \"Access control\")");
    }
}
