package io.flagstore.redis;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.VersionConflictException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.net.ConnectException;
import java.net.UnknownHostException;

/**
 * The outcome of a failed admin operation as one stable code: {@code flagctl} exits with its
 * {@link #number()}, and the console's HTTP API reports the same number, so scripts and dashboards
 * read one meaning whichever surface made the change. Whether a write happened is part of each
 * code's meaning: 2-5, 7-9 and 11 mean nothing was written; 6 and 10 mean it was written; 12 means
 * it is not known.
 */
public enum AdminErrorCode {
    /** Any other failure (file unreadable, aborted at the prompt, unexpected error). */
    ERROR(1, "error: file unreadable, declined at the prompt, unexpected failure"),
    /** Bad input: unknown option, missing argument, malformed value, a confirmation missing. */
    USAGE(2, "usage error: bad arguments, --yes needed without a terminal"),
    /** The flag named does not exist. */
    NOT_FOUND(3, "not found: the flag (or any flag with the --tag) does not exist"),
    /** Compare-and-set failed, or a re-seed into a namespace that is not empty. */
    CONFLICT(
            4,
            "version conflict: compare-and-set failed, or --reseed into a namespace that is not empty;"
                    + " nothing written"),
    /** Redis unreachable, refused the credentials, or timed out before the write was sent. */
    UNAVAILABLE(5, "Redis unreachable, timed out or refused the credentials; nothing written"),
    /** The write succeeded but not every live instance confirmed it in time. */
    WAIT_TIMEOUT(6, "--wait: written, but not every instance confirmed it (or none was live to confirm)"),
    /** The definition was refused by validation; nothing was written. */
    INVALID(7, "invalid definition: nothing written"),
    /** The Redis user lacks the role the operation needs; retrying does not help. */
    DENIED(8, "access denied: the command needs the admin role; nothing written"),
    /** Refused: the namespace looks lost (no data in Redis while live services hold some). */
    NAMESPACE_RESET(9, "namespace looks reset (Redis lost it): nothing written; restore with apply --reseed"),
    /** Written on the master, but fewer replicas than asked confirmed it in time. */
    REPLICATION(10, "written, but fewer replicas than --replica-acks confirmed it"),
    /** The namespace version went backwards: live services hold a higher one. */
    VERSION_REGRESSED(
            11,
            "namespace version went backwards (services hold a higher one): the write was"
                    + " refused, or --wait found it ineffective; re-seed"),
    /**
     * The write was sent (and sent again if its connection broke) but no reply came within the
     * command timeout: it may or may not have happened.
     */
    OUTCOME_UNKNOWN(
            12,
            "outcome unknown: the write was sent (again, if its connection broke) but no reply"
                    + " came; check the version and history before retrying"),
    /** Corrupt or hand-edited keys were found. */
    CORRUPT(13, "corrupt or hand-edited keys found (verify, get, export)");

    private final int number;
    private final String meaning;

    AdminErrorCode(int number, String meaning) {
        this.number = number;
        this.meaning = meaning;
    }

    /** The stable number: {@code flagctl}'s exit code and the console API's {@code exitCode}. */
    public int number() {
        return number;
    }

    /** A one-line meaning, as {@code flagctl --help} and docs/cli.md list it. */
    public String meaning() {
        return meaning;
    }

    /**
     * The code for an exception thrown by {@link FlagAdmin} or the core library: the library's own
     * exceptions by type, a connection failure anywhere in the cause chain as {@link #UNAVAILABLE},
     * an {@link IllegalArgumentException} (a value the caller passed) as {@link #USAGE}, anything
     * else as {@link #ERROR}.
     */
    public static AdminErrorCode of(Throwable failure) {
        if (failure instanceof FlagNotFoundException) {
            return NOT_FOUND;
        }
        if (failure instanceof VersionConflictException || failure instanceof NamespaceNotEmptyException) {
            return CONFLICT;
        }
        if (failure instanceof NamespaceResetException) {
            return NAMESPACE_RESET;
        }
        if (failure instanceof VersionRegressionException) {
            return VERSION_REGRESSED;
        }
        if (failure instanceof WriteOutcomeUnknownException) {
            return OUTCOME_UNKNOWN;
        }
        if (failure instanceof ReplicationException) {
            return REPLICATION;
        }
        if (failure instanceof InvalidFlagException) {
            return INVALID;
        }
        if (failure instanceof AccessDeniedException denied && denied.requiredRole() != null) {
            return DENIED;
        }
        if (failure instanceof IllegalArgumentException) {
            return USAGE;
        }
        if (unreachable(failure)) {
            return UNAVAILABLE;
        }
        return ERROR;
    }

    /** Whether the failure lies in reaching Redis (refused credentials included), anywhere in its causes. */
    public static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StoreUnavailableException
                    || t instanceof RedisConnectionException
                    || t instanceof RedisCommandTimeoutException
                    || t instanceof ConnectException
                    || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }
}
