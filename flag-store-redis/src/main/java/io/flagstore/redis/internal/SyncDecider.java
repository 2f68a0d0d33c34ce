package io.flagstore.redis.internal;

import io.flagstore.redis.internal.SyncState.Held;
import io.flagstore.redis.internal.SyncState.Owed;
import java.util.concurrent.TimeUnit;

/**
 * The read side's decisions as pure functions: given a {@link SyncState}, what arrived or what a
 * read returned, and the time, the next state and what to do. No I/O, no clock, no randomness (a
 * backoff delay comes in with the failure), so every case is unit-tested without Redis.
 *
 * <p>Implementation notes. A change message is a hint: its version and epoch decide whether to read,
 * never what is served. Whatever a message says, the worst it can cause is one read: a catch-up when
 * it claims a newer version of the held epoch, a head check when it names another epoch or while the
 * namespace is reset. A namespace that lost data (empty, went back, a new epoch that was not
 * re-seeded) is never applied as a mass deletion: the state becomes reset and the held snapshot stays
 * (docs/operations.md, "Data loss and recovery"), except when only the writes of the last moments
 * before a disconnect are missing, which is what a failover to an asynchronous replica loses.
 *
 * <p>Immutable and thread-safe.
 */
final class SyncDecider {
    /** Writes lost by a failover are at most this much older than the disconnect (docs/operations.md, "Sentinel"). */
    static final long FAILOVER_LOSS_WINDOW_MILLIS = TimeUnit.SECONDS.toMillis(60);
    /** While the audit stream is followed, how long a message waits for its entry before it causes a read. */
    static final long STREAM_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Writes applied from the audit stream are confirmed by a read this long after the first of them. */
    static final long CONFIRM_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String namespace;
    private final long reconcileNanos;

    SyncDecider(String namespace, long reconcileNanos) {
        this.namespace = namespace;
        this.reconcileNanos = reconcileNanos;
    }

    /** What the updater does next. */
    enum Action {
        /** Nothing until {@link Step#until()} or the next event. */
        WAIT,
        /** Read the namespace head. */
        HEAD,
        /** Read what changed since the held version. */
        CATCH_UP,
        /**
         * Read what changed since the held version at the start of the failover loss window, and check
         * that Redis still holds the writes held from that window (a reconnect that may have met another node).
         */
        VERIFIED_CATCH_UP,
        /** Read the whole namespace. */
        FULL
    }

    /** The next thing to do and, for {@link Action#WAIT}, until when (nanos; {@link Long#MAX_VALUE}: an event). */
    record Step(Action action, long until) {}

    /** What happened, as far as decisions go. */
    sealed interface Input
            permits Subscribed, Unsubscribed, Disconnected, Hint, BadMessage, Head, Failed, Unexpected, Streaming {}

    /**
     * The audit stream is followed ({@code on}: a message then waits a moment for its entry) or not
     * any more (a failed read; an ACL without {@code XREAD}).
     */
    record Streaming(boolean on) implements Input {}

    /** Redis confirmed the subscription (first time or after a reconnect). */
    record Subscribed() implements Input {}

    /** The subscription ended without a disconnect (a cluster's slot moved). */
    record Unsubscribed() implements Input {}

    /** The subscription's connection dropped ({@code why}: for the state detail). */
    record Disconnected(String why) implements Input {}

    /** A decodable message said that version {@code version} of {@code epoch} was written. */
    record Hint(long version, String epoch) implements Input {}

    /** A message that does not decode: something may have been written. */
    record BadMessage() implements Input {}

    /** The namespace head as read by the periodic check. */
    record Head(long version, String epoch, String origin) implements Input {}

    /**
     * Redis could not be reached or read.
     *
     * @param why for the state detail
     * @param read whether a load or catch-up failed (then the next one waits {@code backoffNanos})
     */
    record Failed(String why, boolean read, long backoffNanos) implements Input {}

    /** Something went wrong that should not have (a bug, an unexpected reply): read everything again, later. */
    record Unexpected(long backoffNanos) implements Input {}

    /** Answers about the held data that a read result is judged by. */
    interface HeldFacts {
        /**
         * Whether every definition held above {@code version} was written at or after {@code sinceMillis}
         * (epoch ms), and so was the last version applied: what a failover loses.
         */
        boolean writtenSince(long version, long sinceMillis);

        /** For a {@link Action#VERIFIED_CATCH_UP}: whether Redis holds every write held from the window. */
        boolean matchesRedis();
    }

    /**
     * A read's head.
     *
     * @param version the namespace version read
     * @param epoch its epoch
     * @param origin how the epoch was made ({@link KeySchema#ORIGIN_SEED}, ...)
     * @param full whether the read was the whole namespace
     * @param verified whether it was a {@link Action#VERIFIED_CATCH_UP}
     * @param facts about what is held
     */
    record Read(long version, String epoch, String origin, boolean full, boolean verified, HeldFacts facts) {}

    /** How a read is applied. */
    enum Apply {
        /** Not at all (the state says what follows: a reset, or a further read). */
        NOTHING,
        /** The changes read are an update to what is held. */
        CATCH_UP,
        /** The whole set replaces what is held. */
        RELOAD,
        /** The whole set, delivered as the difference when the writes held are all still in Redis. */
        VERIFIED_RELOAD
    }

    /** What a read led to and why, for the log. */
    enum Notice {
        NONE,
        /** A deliberately re-seeded namespace replaces the held one. */
        RESEEDED,
        /** The namespace went back by writes lost in a failover: Redis is followed. */
        FOLLOWED_FAILOVER,
        /** Writes applied from the audit stream are not what Redis holds: Redis is followed. */
        STREAM_DISAGREED
    }

    /**
     * The outcome of a read.
     *
     * @param state the next state
     * @param apply how to apply the read
     * @param path the delivery path ({@code push}, {@code catchup} or {@code reload}) for the lag timer
     * @param notice what to log
     */
    record Verdict(SyncState state, Apply apply, String path, Notice notice) {}

    SyncState start(long nowNanos) {
        return SyncState.initial(nowNanos + reconcileNanos);
    }

    /** The state after {@code input} at {@code nowNanos} (monotonic) / {@code nowMillis} (wall). */
    SyncState on(SyncState s, Input input, long nowNanos, long nowMillis) {
        if (input instanceof Subscribed) {
            // (re)connected: whatever failed before may work now, so read without waiting
            return s.withLink(true, s.verify(), s.disconnectedAtMillis())
                    .with(s.owed().atLeast(Owed.CATCH_UP), s.pushed(), 0);
        } else if (input instanceof Unsubscribed) {
            return s.withLink(false, s.verify(), s.disconnectedAtMillis());
        } else if (input instanceof Disconnected d) {
            // Redis may come back as another node (a failover) that lacks the last writes held: verify them
            return unreachable(s.withLink(false, s.held() == Held.REDIS, nowMillis), d.why(), nowMillis)
                    .with(s.owed().atLeast(Owed.CATCH_UP), false, s.retryAtNanos());
        } else if (input instanceof Hint h) {
            return onHint(s, h, nowNanos);
        } else if (input instanceof BadMessage) {
            return owe(s, Owed.CATCH_UP, false);
        } else if (input instanceof Head h) {
            return onHead(s.withReconcileAt(nowNanos + reconcileNanos), h);
        } else if (input instanceof Failed f) {
            SyncState next = unreachable(s, f.why(), nowMillis);
            if (f.read()) {
                return next.with(next.owed(), next.pushed(), nowNanos + f.backoffNanos());
            }
            Owed owed = s.owed() == Owed.HEAD ? Owed.NONE : s.owed();
            return next.with(owed, next.pushed(), next.retryAtNanos()).withReconcileAt(nowNanos + reconcileNanos);
        }
        if (input instanceof Streaming st) {
            SyncState next = s.withStream(st.on(), s.unconfirmed(), s.confirmAtNanos());
            // the stream may have missed something when it stopped: catch up
            return st.on() || s.held() != Held.REDIS ? next : owe(next, Owed.CATCH_UP, false);
        }
        return s.with(Owed.FULL, false, nowNanos + ((Unexpected) input).backoffNanos());
    }

    private SyncState onHint(SyncState s, Hint h, long nowNanos) {
        if (s.reset()) {
            return owe(s, Owed.HEAD, false); // the head (with the epoch's origin) decides
        }
        if (s.held() != Held.REDIS) {
            return s; // the full load owed reads whatever the message announced
        }
        if (!s.epoch().isEmpty() && !h.epoch().equals(s.epoch())) {
            return owe(s, Owed.HEAD, false);
        }
        if (h.version() <= s.version()) {
            return s;
        }
        if (s.streaming() && s.owed().compareTo(Owed.CATCH_UP) < 0) {
            // the entry in the audit stream usually arrives with the message: read only if it does not
            return s.with(Owed.CATCH_UP, true, Math.max(s.retryAtNanos(), nowNanos + STREAM_GRACE_NANOS));
        }
        return owe(s, Owed.CATCH_UP, true);
    }

    /**
     * Whether the write of {@code version}, read from the audit stream as operation {@code op}, is
     * applied as it is: only the next version, while following the namespace normally (not reset, no
     * reconnect to verify, nothing else owed but the read a message asked for); a re-seed never is.
     * Applied, it is confirmed by a read {@value #CONFIRM_DELAY_NANOS} ns later at the latest.
     */
    Verdict onStreamed(SyncState s, long version, String op, long nowNanos) {
        boolean next = s.held() == Held.REDIS
                && !s.reset()
                && !s.verify()
                && s.streaming()
                && !s.epoch().isEmpty() // the entry has no epoch: a namespace's first write comes by a read
                && version == s.version() + 1
                && !"reseed".equals(op)
                && (s.owed() == Owed.NONE || s.owed() == Owed.CATCH_UP && s.pushed() || s.owed() == Owed.HEAD);
        if (!next) {
            return new Verdict(s, Apply.NOTHING, null, Notice.NONE);
        }
        SyncState applied = s.withHeld(Held.REDIS, version, s.epoch(), false, true)
                .withStream(
                        true,
                        s.unconfirmed() < 0 ? s.version() : s.unconfirmed(),
                        s.unconfirmed() < 0 ? nowNanos + CONFIRM_DELAY_NANOS : s.confirmAtNanos());
        if (applied.owed() == Owed.CATCH_UP) {
            applied = applied.with(Owed.NONE, false, 0); // what the message announced came as data
        }
        return new Verdict(applied, Apply.CATCH_UP, "push", Notice.NONE);
    }

    private SyncState onHead(SyncState s, Head h) {
        SyncState next = s.owed() == Owed.HEAD ? s.with(Owed.NONE, false, s.retryAtNanos()) : s;
        if (s.reset()) {
            String why = resetReason(s.epoch(), s.version(), h.version(), h.epoch(), h.origin());
            return why == null ? owe(next, Owed.FULL, false) : next.withReset(why);
        }
        if (s.held() != Held.REDIS || h.version() != s.version() || !h.epoch().equals(s.epoch())) {
            return owe(next, h.epoch().equals(s.epoch()) ? Owed.CATCH_UP : Owed.FULL, false);
        }
        return healthy(next);
    }

    /** Owes at least {@code owed}; a read newly owed is due now. */
    private static SyncState owe(SyncState s, Owed owed, boolean pushed) {
        long retryAt = s.owed().compareTo(Owed.CATCH_UP) < 0 ? 0 : s.retryAtNanos();
        return s.with(s.owed().atLeast(owed), s.pushed() || pushed && owed == Owed.CATCH_UP, retryAt);
    }

    private static SyncState unreachable(SyncState s, String why, long nowMillis) {
        return s.withHealth(why, s.outage() == null ? nowMillis : s.outageSinceMillis());
    }

    /** Redis answered while subscribed: the outage (if any) is over. */
    private static SyncState healthy(SyncState s) {
        return s.subscribed() ? s.withHealth(null, 0) : s;
    }

    /** What to do at {@code nowNanos}. */
    Step next(SyncState s, long nowNanos) {
        long until = Long.MAX_VALUE;
        // the first load waits for the subscription, so no write can fall between the two
        if (s.owed().compareTo(Owed.CATCH_UP) >= 0 && (s.subscribed() || s.held() == Held.REDIS)) {
            if (nowNanos >= s.retryAtNanos()) {
                return new Step(readKind(s), 0);
            }
            until = s.retryAtNanos();
        }
        if (s.unconfirmed() >= 0) {
            if (nowNanos >= s.confirmAtNanos()) {
                return new Step(Action.VERIFIED_CATCH_UP, 0);
            }
            until = Math.min(until, s.confirmAtNanos());
        }
        if (s.owed() == Owed.HEAD || nowNanos >= s.reconcileAtNanos()) {
            return new Step(Action.HEAD, 0);
        }
        return new Step(Action.WAIT, Math.min(until, s.reconcileAtNanos()));
    }

    private static Action readKind(SyncState s) {
        if (s.owed() == Owed.FULL || s.held() != Held.REDIS || s.reset()) {
            return Action.FULL;
        }
        return s.verify() || s.unconfirmed() >= 0 ? Action.VERIFIED_CATCH_UP : Action.CATCH_UP;
    }

    /** The outcome of a read that succeeded. */
    Verdict onRead(SyncState before, Read r) {
        SyncState s = before.with(Owed.NONE, false, 0).withStream(before.streaming(), -1, Long.MAX_VALUE);
        Notice notice = Notice.NONE;
        if (before.version() > 0) {
            String why = resetReason(before.epoch(), before.version(), r.version(), r.epoch(), r.origin());
            boolean streamLost = why != null
                    && before.unconfirmed() >= 0
                    && r.epoch().equals(before.epoch())
                    && r.version() >= before.unconfirmed();
            boolean followFailover = why != null
                    && !streamLost
                    && before.verify()
                    && r.epoch().equals(before.epoch())
                    && r.version() > 0
                    && r.version() < before.version()
                    && r.facts().writtenSince(r.version(), before.disconnectedAtMillis() - FAILOVER_LOSS_WINDOW_MILLIS);
            if (why != null && !followFailover && !streamLost) {
                return new Verdict(healthy(s.withReset(why)), Apply.NOTHING, null, Notice.NONE);
            }
            boolean newEpoch = !r.epoch().equals(before.epoch());
            boolean diverged = r.verified() && !r.facts().matchesRedis();
            if (!r.full() && (newEpoch || before.reset() || followFailover || streamLost || diverged)) {
                // read it whole, and deliver it whole unless what is held up to its version is unchanged
                SyncState again = owe(before, Owed.FULL, false);
                return new Verdict(
                        again.withLink(again.subscribed(), again.held() == Held.REDIS, again.disconnectedAtMillis()),
                        Apply.NOTHING,
                        null,
                        Notice.NONE);
            }
            if (streamLost || diverged && before.unconfirmed() >= 0) {
                notice = Notice.STREAM_DISAGREED;
            } else if (followFailover) {
                notice = Notice.FOLLOWED_FAILOVER;
            } else if (newEpoch && before.held() == Held.REDIS) {
                notice = Notice.RESEEDED;
            }
        }
        Apply apply;
        if (!r.full()) {
            apply = Apply.CATCH_UP;
        } else if (before.verify()
                && before.held() == Held.REDIS
                && r.epoch().equals(before.epoch())
                && r.version() >= before.version()) {
            apply = Apply.VERIFIED_RELOAD;
        } else {
            apply = Apply.RELOAD;
        }
        String path = r.full() ? "reload" : before.pushed() ? "push" : "catchup";
        SyncState after = healthy(
                s.withHeld(Held.REDIS, r.version(), r.epoch(), false, true).withReset(null));
        return new Verdict(after, apply, path, notice);
    }

    /** The state once the backup file is served because Redis could not serve the namespace. */
    SyncState onBackup(SyncState s, long version, String epoch) {
        return s.withHeld(Held.BACKUP, version, epoch, false, true);
    }

    /** The state once the backup file was considered and not used. */
    SyncState onBackupSkipped(SyncState s) {
        return s.withHeld(s.held(), s.version(), s.epoch(), s.verify(), true);
    }

    /** Whether the backup file is worth reading now: nothing was delivered and it was not considered yet. */
    static boolean backupWanted(SyncState s) {
        return s.held() == Held.NOTHING && !s.backupConsidered();
    }

    /**
     * Why a namespace at this head ({@code version}, {@code headEpoch} and its {@code origin}) must
     * not replace data held at {@code heldVersion} of {@code heldEpoch}, or {@code null} when it may:
     * a lost namespace, one that went back, or a new epoch that was not deliberately re-seeded must
     * never be applied as a mass deletion (docs/operations.md, "Data loss and recovery").
     */
    String resetReason(String heldEpoch, long heldVersion, long version, String headEpoch, String origin) {
        String serving = "; serving version " + heldVersion + " until it is re-seeded";
        if (version == 0 && headEpoch.isEmpty()) {
            return "namespace '" + namespace + "' is empty in Redis (version and epoch gone: restarted without "
                    + "persistence, or failed over to an empty replica)" + serving;
        }
        if (headEpoch.equals(heldEpoch)) {
            return version >= heldVersion
                    ? null
                    : "namespace '" + namespace + "' went back below version " + heldVersion
                            + " (Redis lost acknowledged writes)" + serving + " or passes it again";
        }
        return KeySchema.ORIGIN_SEED.equals(origin)
                ? null
                : "namespace '" + namespace + "' has a new epoch " + headEpoch + " that was not re-seeded (origin '"
                        + (origin.isEmpty() ? "unrecorded" : origin) + "': an ordinary write into an emptied "
                        + "namespace) while this service holds epoch " + heldEpoch + ": likely a data loss"
                        + serving + " (flagctl apply --reseed)";
    }
}
