package io.flagstore.console;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.VersionConflictException;
import io.flagstore.redis.AccessDeniedException;
import io.flagstore.redis.NamespaceNotEmptyException;
import io.flagstore.redis.NamespaceResetException;
import io.flagstore.redis.ReplicationException;

/**
 * The error model shared by the JSON API and the pages: an HTTP status, a stable code whose meaning
 * and number are those of flagctl's exit codes (docs/cli.md), a message and a hint. Thrown by the
 * console's own checks; {@link #of} translates the admin library's exceptions.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The codes, with flagctl's exit code of the same meaning. */
    enum Code {
        ERROR(1, 500),
        USAGE(2, 400),
        NOT_FOUND(3, 404),
        CONFLICT(4, 409),
        UNAVAILABLE(5, 503),
        INVALID(7, 422),
        DENIED(8, 403),
        NAMESPACE_RESET(9, 409),
        REPLICATION(10, 500),
        /** No valid session, token or proxy identity (flagctl has no such case: it is not logged in). */
        UNAUTHENTICATED(8, 401),
        /** If-Match did not match the current version: the compare-and-set conflict of HTTP. */
        PRECONDITION_FAILED(4, 412),
        /** A write without If-Match where the API requires it. */
        PRECONDITION_REQUIRED(2, 428);

        final int exitCode;
        final int status;

        Code(int exitCode, int status) {
            this.exitCode = exitCode;
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
        if (e instanceof FlagNotFoundException) {
            return new ApiError(Code.NOT_FOUND, e.getMessage(), "the flag list shows what this namespace holds");
        }
        if (e instanceof VersionConflictException) {
            return new ApiError(Code.CONFLICT, e.getMessage(), "it changed since you read it: reload, check, retry");
        }
        if (e instanceof NamespaceNotEmptyException) {
            return new ApiError(Code.CONFLICT, e.getMessage(), null);
        }
        if (e instanceof NamespaceResetException) {
            return new ApiError(
                    Code.NAMESPACE_RESET,
                    e.getMessage(),
                    "restore the namespace first with a re-seed (docs/operations.md, \"Data loss and recovery\")");
        }
        if (e instanceof ReplicationException) {
            return new ApiError(
                    Code.REPLICATION, e.getMessage(), "the write is applied; do not simply retry, check the replicas");
        }
        if (e instanceof InvalidFlagException invalid) {
            return new ApiError(
                    Code.INVALID,
                    "invalid definition: " + String.join("; ", invalid.problems()),
                    "nothing was written; docs/flag-format.md describes the format");
        }
        if (e instanceof AccessDeniedException) {
            return new ApiError(
                    Code.DENIED,
                    "Redis refused the console's user: " + e.getMessage(),
                    "the console's Redis user needs the admin role to write (docs/operations.md, \"Access control\")");
        }
        if (e instanceof StoreUnavailableException) {
            return new ApiError(Code.UNAVAILABLE, "Redis is unavailable: " + e.getMessage(), "check Redis; retry");
        }
        if (e instanceof IllegalArgumentException) {
            return new ApiError(Code.USAGE, "invalid argument: " + e.getMessage(), "nothing was written");
        }
        return new ApiError(
                Code.ERROR, "internal error (" + e.getClass().getSimpleName() + ")", "see the console's log");
    }
}
