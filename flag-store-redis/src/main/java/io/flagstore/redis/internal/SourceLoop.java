package io.flagstore.redis.internal;

import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.internal.SyncDecider.Action;
import io.flagstore.redis.internal.SyncDecider.Step;
import io.flagstore.redis.internal.SyncDecider.Verdict;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The updater of one {@code RedisFlagSource}: a dedicated thread that does all Redis work and all
 * sink calls, so deliveries never overlap and are applied in version order.
 *
 * <p>Implementation notes. The thread waits for events (what the {@link Subscription} queued, usage
 * to record, a stop) or the next due time, feeds each event to the {@link SyncDecider} and does what
 * it decides: read the namespace head, catch up, load it whole (in pages, {@link PagedSync}), wait.
 * Reads become deliveries through the {@link HeldSet}; the state reported to the sink is a function
 * of the decider's {@link SyncState}. A change message only says that something was written: the
 * definitions always come from a read. Every (re)subscription confirmed by Redis owes a catch-up, so
 * a reconnect cannot lose writes: the subscription is live before the read. {@link PresenceWriter} and the
 * {@link BackupKeeper} have their own due times. State here is confined to the updater thread, except
 * the event queue.
 */
public final class SourceLoop {
    private static final System.Logger LOG = System.getLogger("io.flagstore.redis.RedisFlagSource");
    private static final LuaScript HEAD = LuaScript.load("source-head.lua");
    private static final Duration MIN_RETRY = Duration.ofMillis(50);
    private static final Duration MAX_CONNECT_RETRY = Duration.ofSeconds(1);
    /** Failed loads back off further: a fleet overloading Redis must not keep it overloaded (docs/operations.md). */
    private static final Duration MAX_SYNC_RETRY = Duration.ofSeconds(30);

    private static final Object STOP = new Object();

    private record Usage(Map<String, String> fields) {}

    private final SourceSettings settings;
    private final String namespace;
    private final KeySchema keys;
    private final FlagSink sink;
    private final SourceMetrics metrics;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final String[] headKeys;
    private final SyncDecider decider;
    private final HeldSet held = new HeldSet();
    private final HashDecoder decoder;
    private final Deliverer deliverer;
    private final Subscription subscription;
    private final BackupKeeper backup;
    private final AuditFeed feed;
    private final Backoff connectBackoff = new Backoff(MIN_RETRY, MAX_CONNECT_RETRY, new SplittableRandom());
    private final Backoff syncBackoff = new Backoff(MIN_RETRY, MAX_SYNC_RETRY, new SplittableRandom());

    // updater thread only
    private ClientResources resources;
    private RedisConnections client;
    private RedisConnections.Commands commands;
    private PresenceWriter presence;
    private SyncState state;
    private long connectAt;
    private SourceState reported = SourceState.INITIALIZING;
    private String reportedDetail;
    private String backupDetail;
    private boolean feedDenied; // Redis refuses XREAD (an ACL without it): messages are confirmed by reads
    private long feedRetryAt;

    public SourceLoop(SourceSettings settings, FlagSink sink) {
        this.settings = settings;
        this.namespace = settings.options().namespace();
        this.keys = KeySchema.of(namespace);
        this.sink = sink;
        this.metrics = SourceMetrics.of(settings.meterRegistry(), namespace);
        this.headKeys = new String[] {keys.version(), keys.meta()};
        this.decider = new SyncDecider(namespace, settings.reconcileInterval().toNanos());
        this.decoder = new HashDecoder(namespace, metrics);
        this.deliverer = new Deliverer(sink, held, metrics);
        this.subscription = new Subscription(keys.changes(), events, metrics);
        this.backup = new BackupKeeper(settings.backupFile(), namespace, metrics);
        this.feed = new AuditFeed(keys.audit(), events, settings.options().commandTimeout());
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
                if (!subscription.open() || commands == null) {
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

    // ---- connections --------------------------------------------------------------------------

    private void connect() {
        if (System.nanoTime() < connectAt) {
            return;
        }
        try {
            if (client == null) {
                resources = SharedResources.acquire();
                client = RedisConnections.create(settings.options(), resources, b -> b.autoReconnect(true)
                        // fail fast while disconnected: the updater retries on its own schedule
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .timeoutOptions(
                                TimeoutOptions.enabled(settings.options().commandTimeout())));
                client.addListener(subscription.disconnectListener());
            }
            if (!subscription.open()) {
                subscription.open(client);
            }
            if (commands == null) {
                commands = client.connect();
            }
            connectAt = 0;
        } catch (RedisException e) {
            failed("cannot connect", e, false);
            connectAt = System.nanoTime() + connectBackoff.nextNanos();
        }
    }

    /** After the subscription was lost in a cluster: subscribe again on the slot's master, soon. */
    private void moveSubscription() {
        if (subscription.moveIfSharded(client)) {
            connectAt = System.nanoTime() + connectBackoff.nextNanos();
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
                decide(new SyncDecider.Disconnected(unreachable("lost the connection", null)));
                moveSubscription();
            } else if (event == Subscription.Signal.UNSUBSCRIBED) {
                decide(new SyncDecider.Unsubscribed());
                moveSubscription();
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
        if (feedDenied || feed.reading() || commands == null || System.nanoTime() < feedRetryAt) {
            return;
        }
        try {
            feed.next(client);
            if (!state.streaming()) {
                decide(new SyncDecider.Streaming(true));
            }
        } catch (RedisException e) {
            feedStopped(new AuditFeed.Stopped(RedisSupport.describe(e), false));
        }
    }

    private void feedStopped(AuditFeed.Stopped stopped) {
        feed.stopped();
        if (stopped.denied()) {
            feedDenied = true;
            LOG.log(
                    Level.INFO,
                    "Redis refuses XREAD on " + keys.audit() + " (" + stopped.why() + "): each change message is"
                            + " confirmed by a read before it is applied (docs/operations.md, \"Access control\")");
        } else {
            feedRetryAt = System.nanoTime() + connectBackoff.nextNanos();
        }
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
        long next = backup.dueNanos();
        if (!subscription.open() || commands == null) {
            next = Math.min(next, connectAt);
        }
        if (commands != null) {
            next = Math.min(
                    next, Math.min(presence.dueNanos(), decider.next(state, now).until()));
            if (!feedDenied && !feed.reading()) {
                next = Math.min(next, feedRetryAt);
            }
        }
        return Math.max(0, next - now);
    }

    private void runDueTasks() {
        long now = System.nanoTime();
        if (now >= backup.dueNanos()) {
            backup.write(held.epoch(), held.data());
        }
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
        subscription.ensure(client, state.subscribed()); // a SUBSCRIBE lost with a dropped connection
        try {
            List<Object> head = HEAD.runReadOnly(commands.sync(), ScriptOutputType.MULTI, headKeys);
            decide(new SyncDecider.Head((Long) head.get(0), (String) head.get(1), (String) head.get(2)));
        } catch (RedisException e) {
            failed("cannot read the namespace version", e, false);
        }
    }

    private void sync(Action action) {
        long since =
                switch (action) {
                    case FULL -> -1;
                    case VERIFIED_CATCH_UP -> Math.min(
                            state.verify()
                                    ? held.floor(state.disconnectedAtMillis() - SyncDecider.FAILOVER_LOSS_WINDOW_MILLIS)
                                    : held.version(),
                            state.unconfirmed() >= 0 ? state.unconfirmed() : Long.MAX_VALUE);
                    default -> held.version();
                };
        boolean whole = since < 0;
        if (whole && !LoadSlots.SHARED.take(this::interrupted)) {
            return; // still owed: handled after the stop or disconnect that interrupted the wait
        }
        SyncResult result;
        try {
            // with nothing from Redis held there is nothing to reuse: decode each page as it arrives
            result = PagedSync.read(
                    commands.sync(),
                    keys,
                    since,
                    settings.loadPageSize(),
                    this::interrupted,
                    state.held() != SyncState.Held.REDIS);
        } catch (RedisException e) {
            failed(whole ? "cannot load the flags" : "cannot catch up", e, true);
            return;
        } finally {
            if (whole) {
                LoadSlots.SHARED.release();
            }
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
        switch (verdict.notice()) {
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

    private String unreachable(String what, RedisException cause) {
        return "Redis at " + settings.options().redactedUri() + ": " + what
                + (cause == null ? "" : " (" + RedisSupport.describe(cause) + ")");
    }

    private void failed(String what, RedisException cause, boolean read) {
        String why = unreachable(what, cause);
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
        backupDetail = backup.describe(content);
        LOG.log(Level.WARNING, "started from the backup file: " + why + "; " + backupDetail);
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

    /** Moves to {@code next}: logs what changed and tells the sink when its reported state changed. */
    private void transition(SyncState next) {
        SyncState before = state;
        state = next;
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
            presence.soon(System.nanoTime());
        }
    }

    // ---- usage --------------------------------------------------------------------------------

    private void writeUsage(Map<String, String> fields) {
        if (commands != null && commands.isOpen()) {
            // fire and forget like presence: usage is best effort and must not delay changes
            commands.async().hset(keys.usage(), fields);
        }
    }

    // ---- shutdown -----------------------------------------------------------------------------

    private void shutdown() {
        if (presence != null) {
            presence.close(commands, held);
        }
        backup.close(held.epoch(), held.data());
        feed.close();
        if (client != null) {
            subscription.close(client);
        }
        if (commands != null) {
            commands.close();
        }
        if (client != null) {
            client.close();
        }
        if (resources != null) {
            SharedResources.release();
        }
        metrics.connected(false);
        deliverer.state(SourceState.CLOSED, null);
    }
}
