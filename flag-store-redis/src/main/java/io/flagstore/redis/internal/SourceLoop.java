package io.flagstore.redis.internal;

import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.internal.SyncDecider.Action;
import io.flagstore.redis.internal.SyncDecider.Step;
import io.flagstore.redis.internal.SyncDecider.Verdict;
import io.lettuce.core.RedisException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The updater of one {@code RedisFlagSource}: a dedicated thread that does all Redis work and all
 * sink calls, so deliveries never overlap and are applied in version order.
 *
 * <p>Implementation notes. The thread waits for events (what the {@link Subscription} queued, usage
 * to record, a stop) or the next due time, feeds each event to the {@link SyncDecider} and does
 * what it decides: read the namespace head, catch up, load it whole (the {@link SyncReader}, in
 * pages), wait. Reads become deliveries through the {@link HeldSet}; the {@link StateReporter}
 * tells the sink and the log what each move of the decider's {@link SyncState} means. A change
 * message only says that something was written: the definitions always come from a read. Every
 * (re)subscription confirmed by Redis owes a catch-up, so a reconnect cannot lose writes: the
 * subscription is live before the read. The {@link RedisLink} holds the connections and opens what
 * is missing when due; it, the {@link AuditFeed}, {@link PresenceWriter} and the {@link
 * BackupKeeper} have their own due times. State here and in these parts is confined to the updater
 * thread, except the event queue.
 */
public final class SourceLoop {
    private static final System.Logger LOG = SourceLog.LOG;
    private static final Duration MIN_RETRY = Duration.ofMillis(50);
    private static final Duration MAX_CONNECT_RETRY = Duration.ofSeconds(1);
    /** Failed loads back off further: a fleet overloading Redis must not keep it overloaded (docs/operations.md). */
    private static final Duration MAX_SYNC_RETRY = Duration.ofSeconds(30);

    private static final Object STOP = new Object();

    private record Usage(Map<String, String> fields) {}

    private final SourceSettings settings;
    private final String namespace;
    private final KeySchema keys;
    private final SourceMetrics metrics;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final SyncDecider decider;
    private final HeldSet held = new HeldSet();
    private final HashDecoder decoder;
    private final SyncReader reader;
    private final Deliverer deliverer;
    private final Subscription subscription;
    private final BackupKeeper backup;
    private final AuditFeed feed;
    private final StateReporter reporter;
    private final RedisLink link;
    // spaces the attempts to connect, and the reads of the audit feed after failed ones
    private final Backoff connectBackoff = new Backoff(MIN_RETRY, MAX_CONNECT_RETRY, new SplittableRandom());
    private final Backoff syncBackoff = new Backoff(MIN_RETRY, MAX_SYNC_RETRY, new SplittableRandom());

    // updater thread only
    private PresenceWriter presence;
    private SyncState state;

    public SourceLoop(SourceSettings settings, FlagSink sink) {
        this.settings = settings;
        this.namespace = settings.options().namespace();
        this.keys = KeySchema.of(namespace);
        this.metrics = SourceMetrics.of(settings.meterRegistry(), namespace);
        this.decider = new SyncDecider(namespace, settings.reconcileInterval().toNanos());
        this.decoder = new HashDecoder(namespace, metrics);
        this.reader = new SyncReader(keys, settings.loadPageSize(), held, this::interrupted);
        this.deliverer = new Deliverer(sink, held, metrics);
        this.subscription = new Subscription(keys.changes(), events, metrics);
        this.backup = new BackupKeeper(settings.backupFile(), namespace, metrics);
        this.feed = new AuditFeed(keys.audit(), events, settings.options().commandTimeout(), connectBackoff);
        this.reporter = new StateReporter(namespace, subscription, deliverer);
        this.link = new RedisLink(settings.options(), subscription, connectBackoff);
        this.thread = new Thread(this::run, "flagstore-source-" + namespace);
        this.thread.setDaemon(true);
    }

    /** Starts the updater thread. */
    public void start() {
        thread.start();
    }

    /** Stops the updater thread and waits (bounded) for it to release its connections. */
    public void close() {
        events.add(STOP);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Queues one HSET of {@code usage} fields; written by the updater thread, dropped while disconnected. */
    public void recordUsage(Map<String, String> fields) {
        events.add(new Usage(fields));
    }

    private void run() {
        long start = System.nanoTime();
        state = decider.start(start);
        presence = new PresenceWriter(settings, keys, start);
        List<Object> batch = new ArrayList<>();
        try {
            while (true) {
                if (!link.open()) {
                    connect();
                }
                Object first = events.poll(nanosToNextTask(), TimeUnit.NANOSECONDS);
                try {
                    if (first != null) {
                        batch.add(first);
                        events.drainTo(batch);
                        boolean stop = handle(batch);
                        batch.clear();
                        if (stop) {
                            return;
                        }
                    }
                    runDueTasks();
                } catch (RuntimeException e) {
                    if (batch.contains(STOP)) {
                        return;
                    }
                    // a bug or an unexpected reply must not end the updater: log, then read everything again
                    batch.clear();
                    LOG.log(Level.ERROR, "unexpected failure in the flag source of '" + namespace + "'; retrying", e);
                    decide(new SyncDecider.Unexpected(syncBackoff.nextNanos()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutdown();
        }
    }

    // ---- events -------------------------------------------------------------------------------

    /** Handles a batch of events; returns whether to stop. */
    private boolean handle(List<Object> batch) {
        for (Object event : batch) {
            if (event == STOP) {
                return true;
            } else if (event == Subscription.Signal.SUBSCRIBED) {
                metrics.connected(true);
                connectBackoff.reset();
                syncBackoff.reset();
                decide(new SyncDecider.Subscribed());
            } else if (event == Subscription.Signal.DISCONNECTED) {
                metrics.connected(false);
                decide(new SyncDecider.Disconnected(link.unreachable("lost the connection", null)));
                link.moveSubscription();
            } else if (event == Subscription.Signal.UNSUBSCRIBED) {
                decide(new SyncDecider.Unsubscribed());
                link.moveSubscription();
            } else if (event instanceof Usage usage) {
                writeUsage(usage.fields());
            } else if (event instanceof AuditFeed.Entries entries) {
                feed.received(entries);
                followFeed(); // the next read is outstanding while these are applied: nothing falls between
                entries.entries().forEach(this::streamed);
            } else if (event instanceof AuditFeed.Stopped stopped) {
                feedStopped(stopped);
            } else {
                decide(subscription.hint(((Subscription.Pushed) event).payload()));
            }
        }
        return false;
    }

    private void followFeed() {
        if (link.commands() == null) {
            return;
        }
        try {
            if (feed.next(link.client()) && !state.streaming()) {
                decide(new SyncDecider.Streaming(true));
            }
        } catch (RedisException e) {
            feedStopped(new AuditFeed.Stopped(RedisSupport.describe(e), false));
        }
    }

    private void feedStopped(AuditFeed.Stopped stopped) {
        feed.stopped(stopped);
        if (state.streaming()) {
            decide(new SyncDecider.Streaming(false));
        }
    }

    /** An audit entry: the next version is applied from it (data Redis holds), anything else is left to reads. */
    private void streamed(io.lettuce.core.StreamMessage<String, String> entry) {
        AuditFeed.Write write = AuditFeed.write(entry);
        if (write == null) {
            return;
        }
        Verdict verdict = decider.onStreamed(state, write.version(), write.op(), System.nanoTime());
        if (verdict.apply() == SyncDecider.Apply.CATCH_UP) {
            deliver(new HeldSet.Update(write.update(), held.epoch()), verdict.path());
        }
        transition(verdict.state());
    }

    private void decide(SyncDecider.Input input) {
        transition(decider.on(state, input, System.nanoTime(), System.currentTimeMillis()));
    }

    // ---- due tasks ----------------------------------------------------------------------------

    private long nanosToNextTask() {
        long now = System.nanoTime();
        long next = Math.min(backup.dueNanos(), link.dueNanos());
        if (link.commands() != null) {
            next = Math.min(next, Math.min(presence.dueNanos(), feed.dueNanos()));
            next = Math.min(next, decider.next(state, now).until());
        }
        return Math.max(0, next - now);
    }

    private void runDueTasks() {
        long now = System.nanoTime();
        if (now >= backup.dueNanos()) {
            backup.write(held.epoch(), held.data());
        }
        RedisConnections.Commands commands = link.commands();
        if (commands == null) {
            return;
        }
        followFeed();
        Step step = decider.next(state, now);
        switch (step.action()) {
            case WAIT -> {}
            case HEAD -> readHead();
            default -> sync(step.action());
        }
        if (System.nanoTime() >= presence.dueNanos()) {
            presence.write(commands, held, System.nanoTime());
        }
    }

    /** Compares the namespace head with what is held. */
    private void readHead() {
        subscription.ensure(link.client(), state.subscribed()); // a SUBSCRIBE lost with a dropped connection
        try {
            decide(reader.head(link.commands().sync()));
        } catch (RedisException e) {
            failed("cannot read the namespace version", e, false);
        }
    }

    private void sync(Action action) {
        long since = reader.since(action, state);
        SyncResult result;
        try {
            // with nothing from Redis held there is nothing to reuse: decode each page as it arrives
            result = reader.read(link.commands().sync(), since, state.held() != SyncState.Held.REDIS);
        } catch (RedisException e) {
            failed(since < 0 ? "cannot load the flags" : "cannot catch up", e, true);
            return;
        }
        if (result == null) {
            return; // still owed: handled after the stop or disconnect that interrupted it
        }
        syncBackoff.reset();
        if (result.full()) {
            metrics.fullReload();
        } else {
            metrics.catchUp();
        }
        if (SyncDecider.backupWanted(state) && backup.configured()) {
            considerBackup(result);
        }
        SyncDecider.HeldFacts facts = held.facts(result, since);
        SyncState before = state;
        Verdict verdict = decider.onRead(
                before,
                new SyncDecider.Read(
                        result.version(),
                        result.epoch(),
                        result.origin(),
                        result.full(),
                        action == Action.VERIFIED_CATCH_UP,
                        facts));
        boolean sameEpoch =
                before.held() == SyncState.Held.REDIS && result.epoch().equals(held.epoch());
        HeldSet.Delivery delivery =
                switch (verdict.apply()) {
                    case NOTHING -> HeldSet.Nothing.INSTANCE;
                    case CATCH_UP -> held.catchUp(result, decoder);
                    case RELOAD -> held.reload(result, decoder, sameEpoch, false);
                    case VERIFIED_RELOAD -> held.reload(result, decoder, true, true);
                };
        reporter.noticed(verdict.notice(), before, result);
        deliver(delivery, before.held() == SyncState.Held.REDIS ? verdict.path() : null);
        transition(verdict.state());
    }

    /**
     * Whether a stop or a disconnect waits in the queue: a load in pages gives up between pages
     * (the disconnect owes a verified read, which may find another node's data).
     */
    private boolean interrupted() {
        return events.contains(STOP) || events.contains(Subscription.Signal.DISCONNECTED);
    }

    // ---- failures -----------------------------------------------------------------------------

    private void connect() {
        try {
            link.connect();
        } catch (RedisException e) {
            failed("cannot connect", e, false);
        }
    }

    private void failed(String what, RedisException cause, boolean read) {
        String why = link.unreachable(what, cause);
        SyncState next = decider.on(
                state,
                new SyncDecider.Failed(why, read, read ? syncBackoff.nextNanos() : 0),
                System.nanoTime(),
                System.currentTimeMillis());
        if (SyncDecider.backupWanted(next)) {
            BackupFile.Content content = backup.read();
            if (content != null) {
                serveBackup(next, content, why);
                return;
            }
            next = decider.onBackupSkipped(next);
        }
        transition(next);
    }

    /** A service restarting into a lost namespace: its backup is better than nothing. */
    private void considerBackup(SyncResult result) {
        BackupFile.Content content = backup.read();
        if (content != null) {
            String why = decider.resetReason(
                    content.epoch(), content.data().version(), result.version(), result.epoch(), result.origin());
            if (why != null) {
                serveBackup(state, content, why);
                return;
            }
        }
        transition(decider.onBackupSkipped(state));
    }

    /** Reports STALE before the backup's flags are delivered: a client never looks current on them. */
    private void serveBackup(SyncState from, BackupFile.Content content, String why) {
        reporter.servingBackup(why, backup.describe(content));
        transition(decider.onBackup(from, content.data().version(), content.epoch()));
        deliver(new HeldSet.Init(content.data(), content.epoch()), null);
        backup.unchanged();
    }

    // ---- delivery -----------------------------------------------------------------------------

    /** Delivers to the sink and records it as held; {@code path} tags the lag, {@code null}: not measured. */
    private void deliver(HeldSet.Delivery delivery, String path) {
        if (deliverer.deliver(delivery, path)) {
            long now = System.nanoTime();
            presence.soon(now);
            backup.changed(now);
        }
    }

    /** Moves to {@code next} and reports it; presence shows the reported state, so a new one is written soon. */
    private void transition(SyncState next) {
        SyncState before = state;
        state = next;
        if (reporter.moved(before, next)) {
            presence.soon(System.nanoTime());
        }
    }

    // ---- usage --------------------------------------------------------------------------------

    private void writeUsage(Map<String, String> fields) {
        RedisConnections.Commands commands = link.commands();
        if (commands != null && commands.isOpen()) {
            // fire and forget like presence: usage is best effort and must not delay changes
            commands.async().hset(keys.usage(), fields);
        }
    }

    // ---- shutdown -----------------------------------------------------------------------------

    private void shutdown() {
        if (presence != null) {
            presence.close(link.commands(), held);
        }
        backup.close(held.epoch(), held.data());
        feed.close();
        link.close();
        metrics.connected(false);
        deliverer.state(SourceState.CLOSED, null);
    }
}
