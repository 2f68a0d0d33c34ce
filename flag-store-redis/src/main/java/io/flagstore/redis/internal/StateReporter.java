package io.flagstore.redis.internal;

import io.flagstore.core.spi.SourceState;
import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * What each move of a source's {@link SyncState} tells the outside: the log says when Redis became
 * unreachable or reachable again, when the namespace was reset or recovered and what a read noticed;
 * the sink hears of the {@link SourceState} when it changed (a reset also when its reason did); the
 * {@link Subscription} learns which messages the held set already covers. The state reported is a
 * function of the {@code SyncState} and, while the backup file is served, of where it came from.
 *
 * <p>Not thread-safe (the updater thread's).
 */
final class StateReporter {
    private static final System.Logger LOG = SourceLog.LOG;

    private final String namespace;
    private final Subscription subscription;
    private final Deliverer deliverer;
    private SourceState reported = SourceState.INITIALIZING;
    private String reportedDetail;
    private String backupDetail;

    StateReporter(String namespace, Subscription subscription, Deliverer deliverer) {
        this.namespace = namespace;
        this.subscription = subscription;
        this.deliverer = deliverer;
    }

    /** Reports the move from {@code before} to {@code next}; returns whether the sink was told a new state. */
    boolean moved(SyncState before, SyncState next) {
        boolean following = next.streaming() && !next.reset() && next.held() == SyncState.Held.REDIS;
        subscription.covered(
                following && !next.epoch().isEmpty() ? new ChangeMessage.Claim(next.version(), next.epoch()) : null);
        if (before.outage() == null && next.outage() != null) {
            LOG.log(Level.WARNING, next.outage() + "; " + next.served() + "; retrying");
        } else if (before.outage() != null && next.outage() == null) {
            LOG.log(
                    Level.INFO,
                    "Redis reachable again after " + (System.currentTimeMillis() - before.outageSinceMillis())
                            + " ms; namespace '" + namespace + "' at version " + next.version());
        }
        if (next.reset() && !next.resetWhy().equals(before.resetWhy())) {
            // a new reason (e.g. the emptied namespace was then written into) is reported once
            LOG.log(before.reset() ? Level.WARNING : Level.ERROR, next.resetWhy());
        } else if (before.reset() && !next.reset()) {
            LOG.log(Level.WARNING, "namespace '" + namespace + "' recovered at version " + next.version());
        }
        SourceState report = next.report();
        String detail = next.reportDetail(backupDetail);
        if (report != reported || report == SourceState.NAMESPACE_RESET && !Objects.equals(detail, reportedDetail)) {
            reported = report;
            reportedDetail = detail;
            deliverer.state(report, detail);
            return true;
        }
        return false;
    }

    /** The backup file is about to be served ({@code why}: instead of Redis); {@code detail} says which. */
    void servingBackup(String why, String detail) {
        backupDetail = detail;
        LOG.log(Level.WARNING, "started from the backup file: " + why + "; " + detail);
    }

    /** Logs what the verdict on a read ({@code result}, read in state {@code before}) noticed. */
    void noticed(SyncDecider.Notice notice, SyncState before, SyncResult result) {
        switch (notice) {
            case RESEEDED -> LOG.log(
                    Level.WARNING,
                    "namespace '" + namespace + "' was re-seeded (epoch " + before.epoch() + " -> " + result.epoch()
                            + "); reloading its " + result.flags().size() + " flags");
            case FOLLOWED_FAILOVER -> LOG.log(
                    Level.WARNING,
                    "namespace '" + namespace + "' went back from version " + before.version() + " to "
                            + result.version() + " after a reconnect: the writes above it, made just before the"
                            + " connection was lost, did not reach the node Redis failed over to; following Redis");
            case STREAM_DISAGREED -> LOG.log(
                    Level.WARNING,
                    "namespace '" + namespace + "': writes applied from the audit stream above version "
                            + before.unconfirmed() + " are not what Redis holds (an entry added by hand?);"
                            + " following the hashes");
            case NONE -> {}
        }
    }
}
