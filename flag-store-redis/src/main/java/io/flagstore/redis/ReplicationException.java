package io.flagstore.redis;

import io.flagstore.core.StoreUnavailableException;
import java.time.Duration;

/**
 * A write was applied and published on the Redis master, but fewer replicas than {@link
 * RedisOptions#replicaAcks()} confirmed it in time ({@code WAIT}): it is not lost now, but it would
 * be if the master failed before a replica caught up (docs/operations.md, "Replica
 * acknowledgement"). Do not blindly retry a non-idempotent write: it already happened at {@link
 * #version()}; check replication (a replica down or lagging) instead. Immutable.
 */
public class ReplicationException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;

    private final long version;
    private final int acknowledged;
    private final int required;

    /**
     * Creates the exception.
     *
     * @param where the master, e.g. a redacted URI (never with a password)
     * @param version the namespace version the write produced
     * @param acknowledged how many replicas confirmed it
     * @param required how many had to
     * @param timeout how long the write waited
     * @param cause why the wait itself failed, or {@code null} when it ended with too few confirmations
     */
    public ReplicationException(
            String where, long version, int acknowledged, int required, Duration timeout, Throwable cause) {
        super(
                "write applied on the Redis master at " + where + " at version " + version
                        + " (and published), but only " + acknowledged + " of " + required
                        + " replicas confirmed it within " + timeout.toMillis() + " ms"
                        + (cause == null ? "" : " (waiting failed: " + cause.getMessage() + ")")
                        + ": it may be lost if the master fails now (docs/operations.md, \"Replica acknowledgement\")",
                cause);
        this.version = version;
        this.acknowledged = acknowledged;
        this.required = required;
    }

    /** {@return the namespace version the write produced on the master} */
    public long version() {
        return version;
    }

    /** {@return how many replicas confirmed the write (fewer than {@link #required()})} */
    public int acknowledged() {
        return acknowledged;
    }

    /** {@return how many replicas had to confirm it ({@link RedisOptions#replicaAcks()})} */
    public int required() {
        return required;
    }
}
