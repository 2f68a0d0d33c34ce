package io.flagstore.cli;

/** The documented exit codes of {@code flagctl} (docs/cli.md); scripts rely on them. */
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
    /** Redis unreachable, refused the credentials, or timed out. */
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

    private ExitCodes() {}
}
