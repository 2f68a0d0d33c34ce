package io.flagstore.redis.internal;

import io.flagstore.core.spi.SourceState;

/**
 * Where the read side of one source stands, as one immutable value: what the client holds, what it
 * still has to read from Redis, and whether Redis is reachable. Only {@link SyncDecider} makes new
 * states; the updater thread keeps the current one and does what the decider says.
 *
 * @param held where the snapshot the client serves came from
 * @param version the namespace version held (0: none)
 * @param epoch the namespace epoch held ({@code ""}: none)
 * @param subscribed whether Redis confirmed the subscription to the change channel
 * @param owed the read owed to Redis, {@link Owed#NONE} when up to date as far as known
 * @param pushed whether a change message asked for the owed read (the delivery path it is measured under)
 * @param verify whether the next read must check what is held against Redis (after a disconnect: Redis
 *     may come back as a node that lacks the last writes held)
 * @param disconnectedAtMillis wall time of the last disconnect (epoch ms)
 * @param retryAtNanos no read before this time (backoff after a failed one)
 * @param reconcileAtNanos when the namespace head is next compared with what is held
 * @param resetWhy why the namespace is treated as lost, or {@code null}
 * @param outage why Redis is unreachable, or {@code null}
 * @param outageSinceMillis when the current outage began (epoch ms; 0 when none)
 * @param backupConsidered whether the backup file was already considered (it is read at most once, before
 *     anything else was delivered)
 * @param streaming whether the audit stream is followed ({@link AuditFeed}): then writes arrive as data
 *     and a message waits a moment for its entry before it causes a read
 * @param unconfirmed the version held before the first write applied from the audit stream that no read
 *     has confirmed yet, or {@code -1}
 * @param confirmAtNanos when those writes are confirmed by a read
 */
record SyncState(
        Held held,
        long version,
        String epoch,
        boolean subscribed,
        Owed owed,
        boolean pushed,
        boolean verify,
        long disconnectedAtMillis,
        long retryAtNanos,
        long reconcileAtNanos,
        String resetWhy,
        String outage,
        long outageSinceMillis,
        boolean backupConsidered,
        boolean streaming,
        long unconfirmed,
        long confirmAtNanos) {

    /** Where the held snapshot came from. */
    enum Held {
        /** Nothing delivered yet. */
        NOTHING,
        /** The backup file (Redis was unreachable or had lost the namespace at start). */
        BACKUP,
        /** A read from Redis. */
        REDIS
    }

    /** A read owed to Redis, ordered by how much it covers. */
    enum Owed {
        NONE,
        /** The namespace version and epoch ({@code source-head.lua}). */
        HEAD,
        /** Everything written since the held version. */
        CATCH_UP,
        /** The whole namespace. */
        FULL;

        Owed atLeast(Owed other) {
            return compareTo(other) >= 0 ? this : other;
        }
    }

    /** The state a source starts in: nothing held, a full load owed, the first head check one interval away. */
    static SyncState initial(long reconcileAtNanos) {
        return new SyncState(
                Held.NOTHING,
                0,
                "",
                false,
                Owed.FULL,
                false,
                false,
                0,
                0,
                reconcileAtNanos,
                null,
                null,
                0,
                false,
                false,
                -1,
                Long.MAX_VALUE);
    }

    /** Whether the namespace is treated as lost (reported as {@link SourceState#NAMESPACE_RESET}). */
    boolean reset() {
        return resetWhy != null;
    }

    /** What the sink is told; a function of the state, so it cannot drift from it. */
    SourceState report() {
        if (reset()) {
            return SourceState.NAMESPACE_RESET;
        }
        if (held == Held.BACKUP || outage != null) {
            return SourceState.STALE;
        }
        return held == Held.REDIS ? SourceState.VALID : SourceState.INITIALIZING;
    }

    /** The detail that goes with {@link #report()}, or {@code null}. */
    String reportDetail(String backupDetail) {
        return switch (report()) {
            case NAMESPACE_RESET -> resetWhy;
            case STALE -> (outage == null ? "" : outage + "; ") + (held == Held.BACKUP ? backupDetail : served());
            default -> null;
        };
    }

    /** {@code "serving version N"} or {@code "no flags yet"}. */
    String served() {
        return held == Held.NOTHING ? "no flags yet" : "serving version " + version;
    }

    SyncState with(Owed newOwed, boolean newPushed, long newRetryAt) {
        Edit e = new Edit(this);
        e.owed = newOwed;
        e.pushed = newPushed;
        e.retryAtNanos = newRetryAt;
        return e.build();
    }

    SyncState withLink(boolean newSubscribed, boolean newVerify, long newDisconnectedAt) {
        Edit e = new Edit(this);
        e.subscribed = newSubscribed;
        e.verify = newVerify;
        e.disconnectedAtMillis = newDisconnectedAt;
        return e.build();
    }

    SyncState withHealth(String newOutage, long newOutageSince) {
        Edit e = new Edit(this);
        e.outage = newOutage;
        e.outageSinceMillis = newOutageSince;
        return e.build();
    }

    SyncState withReset(String why) {
        Edit e = new Edit(this);
        e.resetWhy = why;
        return e.build();
    }

    SyncState withReconcileAt(long at) {
        Edit e = new Edit(this);
        e.reconcileAtNanos = at;
        return e.build();
    }

    SyncState withHeld(Held newHeld, long newVersion, String newEpoch, boolean newVerify, boolean considered) {
        Edit e = new Edit(this);
        e.held = newHeld;
        e.version = newVersion;
        e.epoch = newEpoch;
        e.verify = newVerify;
        e.backupConsidered = considered;
        return e.build();
    }

    SyncState withStream(boolean newStreaming, long newUnconfirmed, long newConfirmAt) {
        Edit e = new Edit(this);
        e.streaming = newStreaming;
        e.unconfirmed = newUnconfirmed;
        e.confirmAtNanos = newConfirmAt;
        return e.build();
    }

    /** A state being changed: every component, from an existing state. */
    private static final class Edit {
        Held held;
        long version;
        String epoch;
        boolean subscribed;
        Owed owed;
        boolean pushed;
        boolean verify;
        long disconnectedAtMillis;
        long retryAtNanos;
        long reconcileAtNanos;
        String resetWhy;
        String outage;
        long outageSinceMillis;
        boolean backupConsidered;
        boolean streaming;
        long unconfirmed;
        long confirmAtNanos;

        Edit(SyncState s) {
            held = s.held;
            version = s.version;
            epoch = s.epoch;
            subscribed = s.subscribed;
            owed = s.owed;
            pushed = s.pushed;
            verify = s.verify;
            disconnectedAtMillis = s.disconnectedAtMillis;
            retryAtNanos = s.retryAtNanos;
            reconcileAtNanos = s.reconcileAtNanos;
            resetWhy = s.resetWhy;
            outage = s.outage;
            outageSinceMillis = s.outageSinceMillis;
            backupConsidered = s.backupConsidered;
            streaming = s.streaming;
            unconfirmed = s.unconfirmed;
            confirmAtNanos = s.confirmAtNanos;
        }

        SyncState build() {
            return new SyncState(
                    held,
                    version,
                    epoch,
                    subscribed,
                    owed,
                    pushed,
                    verify,
                    disconnectedAtMillis,
                    retryAtNanos,
                    reconcileAtNanos,
                    resetWhy,
                    outage,
                    outageSinceMillis,
                    backupConsidered,
                    streaming,
                    unconfirmed,
                    confirmAtNanos);
        }
    }
}
