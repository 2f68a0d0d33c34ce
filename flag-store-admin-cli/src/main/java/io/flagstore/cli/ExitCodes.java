package io.flagstore.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of {@code flagctl}; scripts rely on them. {@link #TABLE} is the one list of their
 * meanings: {@code flagctl --help} prints it and a test checks docs/cli.md against it.
 *
 * <p>Whether a write happened is part of each code's meaning: 2-5, 7-9 and 11 mean nothing was
 * written; 6 and 10 mean it was written; 12 means it is not known.
 */
final class ExitCodes {
    /** Success. */
    static final int OK = 0;
    /** Any other failure (file unreadable, aborted at the prompt, unexpected error). */
    static final int ERROR = 1;
    /** Bad command line: unknown option, missing argument, malformed value, missing --yes without a terminal. */
    static final int USAGE = 2;
    /** The flag named does not exist. */
    static final int NOT_FOUND = 3;
    /**
     * Compare-and-set failed (--expect-version, or a concurrent write, or create of an existing key),
     * or --reseed into a namespace that is not empty.
     */
    static final int CONFLICT = 4;
    /** Redis unreachable, refused the credentials, or timed out before the write was sent. */
    static final int UNAVAILABLE = 5;
    /** The write succeeded but not every live instance confirmed it within --wait-timeout. */
    static final int WAIT_TIMEOUT = 6;
    /** The definition was refused by validation; nothing was written. */
    static final int INVALID = 7;
    /** The Redis user lacks the role the command needs (a write with the service role); retrying does not help. */
    static final int DENIED = 8;
    /** Refused: the namespace looks lost (no data in Redis while live services hold some); re-seed it first. */
    static final int NAMESPACE_RESET = 9;
    /**
     * The write is applied and published on the master, but fewer replicas than --replica-acks
     * confirmed it in time: a failover now could lose it.
     */
    static final int REPLICATION = 10;
    /** The namespace version went backwards: live services hold a higher one; nothing written, or not confirmed. */
    static final int VERSION_REGRESSED = 11;
    /** The write was sent but no reply came: it may or may not have happened. */
    static final int OUTCOME_UNKNOWN = 12;
    /** Corrupt or hand-edited keys were found (verify, get, export). */
    static final int CORRUPT = 13;

    /** Every code with its one-line meaning, in order. */
    static final Map<Integer, String> TABLE = table();

    private ExitCodes() {}

    private static Map<Integer, String> table() {
        Map<Integer, String> t = new LinkedHashMap<>();
        t.put(OK, "ok (also: nothing to change)");
        t.put(ERROR, "error: file unreadable, declined at the prompt, unexpected failure");
        t.put(USAGE, "usage error: bad arguments, --yes needed without a terminal");
        t.put(NOT_FOUND, "not found: the flag (or any flag with the --tag) does not exist");
        t.put(
                CONFLICT,
                "version conflict: compare-and-set failed, or --reseed into a namespace that is not empty;"
                        + " nothing written");
        t.put(UNAVAILABLE, "Redis unreachable, timed out or refused the credentials; nothing written");
        t.put(WAIT_TIMEOUT, "--wait: written, but not every instance confirmed it (or none was live to confirm)");
        t.put(INVALID, "invalid definition: nothing written");
        t.put(DENIED, "access denied: the command needs the admin role; nothing written");
        t.put(NAMESPACE_RESET, "namespace looks reset (Redis lost it): nothing written; restore with apply --reseed");
        t.put(REPLICATION, "written, but fewer replicas than --replica-acks confirmed it");
        t.put(
                VERSION_REGRESSED,
                "namespace version went backwards (services hold a higher one): the write was"
                        + " refused, or --wait found it ineffective; re-seed");
        t.put(
                OUTCOME_UNKNOWN,
                "outcome unknown: the write was sent but no reply came; check the version and"
                        + " history before retrying");
        t.put(CORRUPT, "corrupt or hand-edited keys found (verify, get, export)");
        return Collections.unmodifiableMap(t);
    }
}
