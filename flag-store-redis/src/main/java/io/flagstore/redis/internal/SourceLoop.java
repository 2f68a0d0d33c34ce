package io.flagstore.redis.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.Segment;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.ServiceInstance;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * The updater of one {@code RedisFlagSource}: a dedicated thread that does all Redis work and all
 * sink calls, so deliveries never overlap and are applied in version order.
 *
 * <p>Implementation notes. Lettuce calls the pub/sub listener on a Netty event loop; it only
 * enqueues the raw message (never blocks, never calls Redis). The thread drains the queue in
 * batches, then runs due tasks (catch-up, version check, heartbeat, backup). Every
 * (re)subscription confirmed by Redis triggers a catch-up, so a reconnect cannot lose writes: the
 * subscription is live before the read, and messages that arrive meanwhile wait in {@link
 * #pending} and are applied only when newer than what the read returned. Lettuce (7.7) re-issues
 * SUBSCRIBE by itself when it re-activates a reconnected pub/sub connection ({@code
 * StatefulRedisPubSubConnectionImpl.activated} calls {@code resubscribe}) and reports each
 * confirmation through {@code RedisPubSubListener.subscribed}: that callback is the reconnect
 * signal. In a Redis Cluster the subscription is a shard subscription on the slot's master ({@link
 * RedisConnections}); Lettuce does not move it when the master changes, so a {@code sunsubscribe}
 * from Redis or a dropped connection makes the updater subscribe again on the current master, and
 * that confirmation triggers the catch-up as above. Loads and catch-ups are read in pages ({@link
 * PagedSync}) so that a fleet loading at once shares Redis; a failed one is retried with jittered
 * backoff. State here is confined to the updater thread, except the event queue.
 */
public final class SourceLoop {
    private static final System.Logger LOG = System.getLogger("io.flagstore.redis.RedisFlagSource");
    private static final LuaScript HEAD = LuaScript.load("source-head.lua");
    private static final Duration MIN_RETRY = Duration.ofMillis(50);
    private static final Duration MAX_CONNECT_RETRY = Duration.ofSeconds(1);
    /** Failed loads back off further: a fleet overloading Redis must not keep it overloaded (docs/operations.md). */
    private static final Duration MAX_SYNC_RETRY = Duration.ofSeconds(30);

    private static final long BACKUP_DEBOUNCE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int MAX_PENDING = 10_000;
    private static final int MAX_REPORTED_CORRUPT = 1_000;
    private static final int PARALLEL_DECODE = 1_000;
    private static final long PRESENCE_GAP_MILLIS = 50;
    /** Writes lost by a failover are at most this much older than the disconnect (docs/operations.md, "Sentinel"). */
    private static final long FAILOVER_LOSS_WINDOW_MILLIS = TimeUnit.SECONDS.toMillis(60);

    private sealed interface Event permits Message, Usage, Signal {}

    private record Message(String payload) implements Event {}

    private record Usage(Map<String, String> fields) implements Event {}

    private enum Signal implements Event {
        SUBSCRIBED,
        UNSUBSCRIBED,
        DISCONNECTED,
        STOP
    }

    private final SourceSettings settings;
    private final String namespace;
    private final KeySchema keys;
    private final FlagSink sink;
    private final SourceMetrics metrics;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final ExecutorService backupWriter;
    private final String[] headKeys;
    private final Instant started = Instant.now();

    // Lettuce: created and closed by the updater thread; pubsub is read by the state listener.
    private ClientResources resources;
    private RedisConnections client;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private RedisConnections.Commands commands;
    private final RedisPubSubAdapter<String, String> listener = new RedisPubSubAdapter<>() {
        @Override
        public void message(String channel, String message) {
            events.add(new Message(message));
        }

        @Override
        public void smessage(String shardChannel, String message) {
            events.add(new Message(message));
        }

        @Override
        public void subscribed(String channel, long count) {
            events.add(Signal.SUBSCRIBED);
        }

        @Override
        public void ssubscribed(String shardChannel, long count) {
            events.add(Signal.SUBSCRIBED);
        }

        @Override
        public void sunsubscribed(String shardChannel, long count) {
            events.add(Signal.UNSUBSCRIBED); // Redis ends shard subscriptions when the slot's master changes
        }
    };

    // What the client holds (updater thread only).
    private boolean fromRedis; // the snapshot came from Redis (not from the backup file)
    private boolean delivered; // the sink got its first init
    private long applied;
    private String epoch = "";
    private long appliedAtMillis;
    private final Map<String, Flag> flags = new HashMap<>(); // last good definitions
    private final Map<String, Segment> segments = new HashMap<>();
    private final TreeMap<Long, PushedChange> pending = new TreeMap<>();

    // Connection and sync bookkeeping (updater thread only).
    private String host;
    private boolean subscribed;
    private boolean reselect; // a cluster subscription was lost: find the slot's master again
    private boolean reset;
    private boolean verifyHeld; // after a disconnect: the next full load checks what is held against Redis
    private long disconnectedAtMillis; // wall ms of the last disconnect
    private String resetWhy; // the reason reported for the current reset
    private boolean backupTried;
    private boolean syncRequested = true;
    private boolean fullRequested = true;
    private final Backoff connectBackoff = new Backoff(MIN_RETRY, MAX_CONNECT_RETRY, new SplittableRandom());
    private final Backoff syncBackoff = new Backoff(MIN_RETRY, MAX_SYNC_RETRY, new SplittableRandom());
    private long retryAt;
    private long connectAt;
    private long nextReconcile;
    private long nextHeartbeat;
    private long backupAt = Long.MAX_VALUE;
    private long lastPresence = Long.MIN_VALUE / 2; // nanoTime of the last presence write
    private long outageSince; // wall ms of the first failure of the current outage, 0 when healthy
    private SourceState state = SourceState.INITIALIZING;
    private boolean messageErrorLogged;
    private final Set<String> reportedCorrupt = new HashSet<>();

    public SourceLoop(SourceSettings settings, FlagSink sink) {
        this.settings = settings;
        this.namespace = settings.options().namespace();
        this.keys = KeySchema.of(namespace);
        this.sink = sink;
        this.metrics = new SourceMetrics(settings.meterRegistry(), namespace);
        this.headKeys = new String[] {keys.version(), keys.meta()};
        this.backupWriter = settings.backupFile() == null
                ? null
                : Executors.newSingleThreadExecutor(r -> daemon(r, "flagstore-backup-" + namespace));
        this.thread = daemon(this::run, "flagstore-source-" + namespace);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts the updater thread. */
    public void start() {
        thread.start();
    }

    /** Stops the updater thread and waits (bounded) for it to release its connections. */
    public void close() {
        events.add(Signal.STOP);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long now = System.nanoTime();
        nextReconcile = now + settings.reconcileInterval().toNanos();
        nextHeartbeat = now;
        List<Event> batch = new ArrayList<>();
        try {
            host = localHost();
            while (true) {
                if (pubsub == null || commands == null) {
                    connect();
                }
                Event first = events.poll(nanosToNextTask(), TimeUnit.NANOSECONDS);
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
                    if (batch.contains(Signal.STOP)) {
                        return;
                    }
                    // a bug or an unexpected reply must not end the updater: log, then retry from Redis
                    batch.clear();
                    LOG.log(Level.ERROR, "unexpected failure in the flag source of '" + namespace + "'; retrying", e);
                    requestSync(true);
                    retryAt = System.nanoTime() + syncBackoff.nextNanos();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutdown();
        }
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
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
                client.addListener(new RedisConnectionStateListener() {
                    @Override
                    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                        if (connection == pubsub) {
                            events.add(Signal.DISCONNECTED);
                        }
                    }
                });
            }
            if (pubsub == null) {
                if (reselect) {
                    client.refreshTopology(); // the subscription was lost: the slot may have a new master
                }
                pubsub = client.connectPubSub(keys.changes(), listener);
                reselect = false;
                subscribe();
            }
            if (commands == null) {
                commands = client.connect();
            }
            connectAt = 0;
        } catch (RedisException e) {
            unreachable("cannot connect", e);
            connectAt = System.nanoTime() + connectBackoff.nextNanos();
        }
    }

    private void subscribe() {
        client.subscribe(pubsub, keys.changes()).whenComplete((ok, failure) -> {
            if (failure != null) {
                events.add(Signal.UNSUBSCRIBED);
            }
        });
    }

    /**
     * In a cluster, a lost shard subscription is made again on the slot's current master (a
     * connection to the old one may never come back); a standalone connection resubscribes itself
     * when Lettuce reconnects it.
     */
    private void resubscribeElsewhere() {
        if (client.sharded() && pubsub != null) {
            client.release(pubsub, keys.changes(), listener);
            pubsub = null;
            reselect = true;
            connectAt = System.nanoTime() + connectBackoff.nextNanos();
        }
    }

    // ---- events -------------------------------------------------------------------------------

    /** Handles a batch of events; returns whether to stop. */
    private boolean handle(List<Event> batch) {
        for (Event event : batch) {
            if (event == Signal.STOP) {
                return true;
            } else if (event == Signal.SUBSCRIBED) {
                subscribed = true;
                metrics.connected(true);
                // (re)connected: whatever failed before may work now, so retry without waiting
                connectBackoff.reset();
                syncBackoff.reset();
                retryAt = 0;
                requestSync(false);
            } else if (event == Signal.DISCONNECTED) {
                subscribed = false;
                metrics.connected(false);
                unreachable("lost the connection", null);
                disconnectedAtMillis = System.currentTimeMillis();
                // Redis may come back as another node (a failover) that never had the last writes this client
                // applied, and wrote others under the same versions: only a full load, the next sync, finds them.
                verifyHeld = true;
                fullRequested = true;
                resubscribeElsewhere();
            } else if (event == Signal.UNSUBSCRIBED) {
                subscribed = false;
                resubscribeElsewhere();
            } else if (event instanceof Usage usage) {
                writeUsage(usage.fields());
            } else {
                onMessage(((Message) event).payload());
            }
        }
        drainPending();
        return false;
    }

    private void onMessage(String payload) {
        PushedChange message;
        try {
            message = PushedChange.decode(payload);
        } catch (RuntimeException e) {
            metrics.error(SourceMetrics.ErrorKind.MESSAGE);
            if (!messageErrorLogged) {
                messageErrorLogged = true;
                LOG.log(
                        Level.WARNING,
                        "ignoring an undecodable message on " + keys.changes()
                                + " (catching up from Redis instead; further ones are only counted): "
                                + e.getMessage());
            }
            requestSync(false);
            return;
        }
        if (reset) {
            if (!message.epoch().equals(epoch) || message.version() >= applied) {
                nextReconcile = System.nanoTime(); // the head (with the epoch's origin) decides
            }
            return;
        }
        if (fromRedis && applied == 0 && epoch.isEmpty()) {
            epoch = message.epoch(); // the namespace was created after the load: its first writes
        }
        if (fromRedis && !message.epoch().equals(epoch)) {
            requestSync(true); // a re-seeded or reset namespace: the sync decides
            return;
        }
        if (message.version() > applied || !fromRedis) {
            pending.put(message.version(), message);
            if (pending.size() > MAX_PENDING) {
                pending.clear();
                requestSync(true);
            }
        }
    }

    /** Applies buffered messages that follow the applied version; a gap asks for a catch-up. */
    private void drainPending() {
        if (!fromRedis || reset) {
            return;
        }
        while (!pending.isEmpty()) {
            long next = pending.firstKey();
            if (next <= applied) {
                pending.pollFirstEntry();
            } else if (next == applied + 1) {
                apply(pending.pollFirstEntry().getValue());
            } else {
                requestSync(false); // a gap: something was lost
                return;
            }
        }
    }

    private void apply(PushedChange change) {
        deliver(change.update());
        metrics.applied(change.ts());
    }

    /** A decoded message: the update with every item stamped with the write's version and time. */
    private record PushedChange(String epoch, long ts, FlagUpdate update) {
        static PushedChange decode(String payload) {
            ChangeMessage message = ChangeMessage.decode(payload);
            Instant writtenAt = Instant.ofEpochMilli(message.ts());
            List<Flag> changed = new ArrayList<>(message.flags().size());
            for (ObjectNode tree : message.flags()) {
                changed.add(FlagJson.fromTree(tree).withVersion(message.version(), writtenAt, message.actor()));
            }
            List<Segment> changedSegments = new ArrayList<>(message.segments().size());
            for (ObjectNode tree : message.segments()) {
                changedSegments.add(FlagJson.segmentFromTree(tree).withVersion(message.version(), writtenAt));
            }
            return new PushedChange(
                    message.epoch(),
                    message.ts(),
                    new FlagUpdate(
                            message.version(),
                            changed,
                            message.deleted(),
                            changedSegments,
                            message.deletedSegments(),
                            writtenAt));
        }

        long version() {
            return update.version();
        }
    }

    // ---- due tasks ----------------------------------------------------------------------------

    private long nanosToNextTask() {
        long next = backupAt;
        if (pubsub == null || commands == null) {
            next = Math.min(next, connectAt);
        }
        if (commands != null) {
            next = Math.min(next, Math.min(nextReconcile, nextHeartbeat));
            if (syncRequested && subscribedOrStale()) {
                next = Math.min(next, retryAt);
            }
        }
        return Math.max(0, next - System.nanoTime());
    }

    private void runDueTasks() {
        long now = System.nanoTime();
        if (now >= backupAt) {
            backupAt = Long.MAX_VALUE;
            writeBackup();
        }
        if (commands == null) {
            return;
        }
        if (syncRequested && now >= retryAt && subscribedOrStale()) {
            sync();
        }
        if (now >= nextReconcile) {
            nextReconcile = now + settings.reconcileInterval().toNanos();
            reconcile();
        }
        if (now >= nextHeartbeat) {
            writePresence();
        }
    }

    /** The first load waits for the subscription (no window); later catch-ups need not. */
    private boolean subscribedOrStale() {
        return subscribed || fromRedis;
    }

    private void requestSync(boolean full) {
        if (!syncRequested) {
            retryAt = 0;
        }
        syncRequested = true;
        fullRequested |= full;
    }

    /** Compares the namespace head with what is held; a difference asks for a catch-up. */
    private void reconcile() {
        if (pubsub != null && pubsub.isOpen() && !subscribed) {
            subscribe(); // a SUBSCRIBE lost with a dropped connection
        }
        try {
            List<Object> head = HEAD.runReadOnly(commands.sync(), ScriptOutputType.MULTI, headKeys);
            long version = (Long) head.get(0);
            String headEpoch = (String) head.get(1);
            if (reset) {
                String why = resetReason(epoch, applied, version, headEpoch, (String) head.get(2));
                if (why == null) {
                    requestSync(true);
                } else {
                    enterReset(why);
                }
            } else if (version != applied || !headEpoch.equals(epoch) || !fromRedis) {
                requestSync(!headEpoch.equals(epoch));
            } else if (subscribed) {
                healthy();
            }
        } catch (RedisException e) {
            unreachable("cannot read the namespace version", e);
        }
    }

    private void sync() {
        boolean full = fullRequested || !fromRedis || reset;
        SyncResult result;
        try {
            result = PagedSync.read(
                    commands.sync(), keys, full ? -1 : applied, settings.loadPageSize(), this::interrupted);
        } catch (RedisException e) {
            unreachable(full ? "cannot load the flags" : "cannot catch up", e);
            retryAt = System.nanoTime() + syncBackoff.nextNanos();
            return;
        }
        if (result == null) {
            return; // still requested: handled after the stop or disconnect that interrupted it
        }
        syncRequested = false;
        fullRequested = false;
        syncBackoff.reset();
        // Every buffered message arrived before this read (its last step) began, and Redis publishes a write
        // only after committing it: one newer than the version read was never written (forged, or from a
        // lost timeline). Dropping it ends what would otherwise be an endless catch-up loop.
        pending.tailMap(result.version(), false).clear();
        if (result.full()) {
            metrics.fullReload();
        } else {
            metrics.catchUp();
        }
        handle(result);
        drainPending();
    }

    /**
     * Whether a stop or a disconnect waits in the queue: a load in pages gives up between pages
     * (the disconnect asks for a verified reload, which may find another node's data).
     */
    private boolean interrupted() {
        return events.contains(Signal.STOP) || events.contains(Signal.DISCONNECTED);
    }

    /**
     * Applies a sync result, guarding against a namespace that lost its data: see
     * docs/operations.md, "Data loss and recovery".
     */
    private void handle(SyncResult result) {
        if (!delivered && !backupTried && settings.backupFile() != null) {
            // a service restarting into a lost namespace: its backup is better than nothing
            backupTried = true;
            BackupFile.Content backup = readBackup();
            String why = backup == null
                    ? null
                    : resetReason(
                            backup.epoch(), backup.data().version(), result.version(), result.epoch(), result.origin());
            if (why != null) {
                deliverBackup(backup, why);
            }
        }
        boolean holdsData = applied > 0;
        if (holdsData) {
            String why = resetReason(epoch, applied, result.version(), result.epoch(), result.origin());
            if (why != null && lostInFailover(result)) {
                LOG.log(
                        Level.WARNING,
                        "namespace '" + namespace + "' went back from version " + applied + " to " + result.version()
                                + " after a reconnect: the writes above it, made just before the connection was lost,"
                                + " did not reach the node Redis failed over to; following Redis");
                why = null;
            }
            if (why != null) {
                enterReset(why);
                return;
            }
            boolean newEpoch = !result.epoch().equals(epoch);
            if ((newEpoch || reset) && !result.full()) {
                requestSync(true);
                return;
            }
            if (newEpoch && fromRedis) {
                LOG.log(
                        Level.WARNING,
                        "namespace '" + namespace + "' was re-seeded (epoch " + epoch + " -> " + result.epoch()
                                + "); reloading its " + result.flags().size() + " flags");
            }
        }
        if (result.full()) {
            reload(result);
        } else {
            catchUp(result);
        }
        if (reset) {
            reset = false;
            resetWhy = null;
            LOG.log(Level.WARNING, "namespace '" + namespace + "' recovered at version " + applied);
        }
        if (subscribed) {
            healthy();
        }
    }

    /**
     * Why a namespace at this head ({@code version}, {@code headEpoch} and its {@code origin}) must
     * not replace data held at {@code heldVersion} of {@code heldEpoch}, or {@code null} when it may:
     * a lost namespace, one that went back, or a new epoch that was not deliberately re-seeded must
     * never be applied as a mass deletion (docs/operations.md, "Data loss and recovery").
     */
    private String resetReason(String heldEpoch, long heldVersion, long version, String headEpoch, String origin) {
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

    /**
     * Whether a namespace that went back (same epoch, lower version) lost only the last writes before a
     * disconnect, as a failover to an asynchronous replica does: every definition held above the new
     * version was written at most {@link #FAILOVER_LOSS_WINDOW_MILLIS} before the disconnect. Older
     * losses (Redis restored from an old backup) keep the reset guard.
     */
    private boolean lostInFailover(SyncResult result) {
        long since = disconnectedAtMillis - FAILOVER_LOSS_WINDOW_MILLIS;
        return verifyHeld
                && result.epoch().equals(epoch)
                && result.version() > 0
                && appliedAtMillis >= since
                && Stream.concat(
                                flags.values().stream()
                                        .filter(f -> f.version() > result.version())
                                        .map(Flag::updatedAt),
                                segments.values().stream()
                                        .filter(seg -> seg.version() > result.version())
                                        .map(Segment::updatedAt))
                        .allMatch(at -> at != null && at.toEpochMilli() >= since);
    }

    private void enterReset(String why) {
        pending.clear();
        if (!why.equals(resetWhy)) {
            // a new reason (e.g. the emptied namespace was then written into) is reported once
            LOG.log(reset ? Level.WARNING : Level.ERROR, why);
            reset = true;
            resetWhy = why;
            setState(SourceState.NAMESPACE_RESET, why);
        }
    }

    private void reload(SyncResult result) {
        boolean verify = verifyHeld;
        verifyHeld = false;
        boolean sameEpoch = fromRedis && result.epoch().equals(epoch);
        // same epoch: a hash still holding the write held decodes to what is held; skip the work
        Map<String, Flag> loaded = decodeAll(
                result.flags(),
                FlagHashCodec::fromFields,
                Flag::key,
                Flag::version,
                Flag::updatedAt,
                sameEpoch ? flags : Map.of());
        Map<String, Segment> loadedSegments = decodeAll(
                result.segments(),
                FlagHashCodec::segmentFromFields,
                Segment::key,
                Segment::version,
                Segment::updatedAt,
                sameEpoch ? segments : Map.of());
        // a corrupt hash keeps the definition held before (if any)
        result.flags().keySet().forEach(key -> keepHeld(key, loaded, flags));
        result.segments().keySet().forEach(key -> keepHeld(key, loadedSegments, segments));
        pending.headMap(result.version(), true).clear();
        if (verify
                && sameEpoch
                && result.version() >= applied
                && heldUnchanged(loaded, flags, Flag::version)
                && heldUnchanged(loadedSegments, segments, Segment::version)) {
            // the usual reconnect: what is held is still there, so deliver only the difference
            deliverDifference(result.version(), loaded, loadedSegments);
            return;
        }
        deliver(new FlagData(result.version(), loaded, loadedSegments), result.epoch());
        fromRedis = true;
    }

    /** Whether every loaded item at or below the applied version is the one held (no other timeline). */
    private <T> boolean heldUnchanged(Map<String, T> loaded, Map<String, T> held, ToLongFunction<T> versionOf) {
        return loaded.entrySet().stream()
                .filter(e -> versionOf.applyAsLong(e.getValue()) <= applied)
                .allMatch(e -> e.getValue().equals(held.get(e.getKey())));
    }

    private void deliverDifference(long version, Map<String, Flag> loaded, Map<String, Segment> loadedSegments) {
        List<Flag> changed = List.copyOf(newer(loaded, Flag::version));
        List<Segment> changedSegments = List.copyOf(newer(loadedSegments, Segment::version));
        List<String> deleted =
                flags.keySet().stream().filter(k -> !loaded.containsKey(k)).toList();
        List<String> deletedSegments = segments.keySet().stream()
                .filter(k -> !loadedSegments.containsKey(k))
                .toList();
        if (version == applied && changed.isEmpty() && changedSegments.isEmpty()) {
            return;
        }
        deliver(new FlagUpdate(version, changed, deleted, changedSegments, deletedSegments, null));
    }

    private <T> List<T> newer(Map<String, T> loaded, ToLongFunction<T> versionOf) {
        return loaded.values().stream()
                .filter(item -> versionOf.applyAsLong(item) > applied)
                .toList();
    }

    private static <T> void keepHeld(String key, Map<String, T> loaded, Map<String, T> held) {
        if (!loaded.containsKey(key) && held.containsKey(key)) {
            loaded.put(key, held.get(key));
        }
    }

    private void catchUp(SyncResult result) {
        Map<String, Flag> changed = decodeAll(
                result.flags(), FlagHashCodec::fromFields, Flag::key, Flag::version, Flag::updatedAt, Map.of());
        Map<String, Segment> changedSegments = decodeAll(
                result.segments(),
                FlagHashCodec::segmentFromFields,
                Segment::key,
                Segment::version,
                Segment::updatedAt,
                Map.of());
        epoch = result.epoch();
        if (result.version() == applied && changed.isEmpty() && changedSegments.isEmpty()) {
            return;
        }
        deliver(new FlagUpdate(
                result.version(),
                List.copyOf(changed.values()),
                result.deletedFlags(),
                List.copyOf(changedSegments.values()),
                result.deletedSegments(),
                null));
    }

    // ---- decoding -----------------------------------------------------------------------------

    /**
     * Decodes hashes (in parallel when there are many: a cold start of thousands of flags is
     * dominated by this), reusing {@code reusable} definitions of the write the hash holds;
     * a hash that does not decode is counted, logged once and left out.
     */
    private <T> Map<String, T> decodeAll(
            Map<String, Map<String, String>> hashes,
            Function<Map<String, String>, T> codec,
            Function<T, String> keyOf,
            ToLongFunction<T> versionOf,
            Function<T, Instant> updatedAtOf,
            Map<String, T> reusable) {
        Map<String, T> good = new ConcurrentHashMap<>();
        Map<String, RuntimeException> bad = new ConcurrentHashMap<>();
        Stream<Map.Entry<String, Map<String, String>>> entries = hashes.entrySet().stream();
        if (hashes.size() >= PARALLEL_DECODE) {
            entries = entries.parallel();
        }
        entries.forEach(e -> {
            String key = e.getKey();
            Map<String, String> hash = e.getValue();
            T held = reusable.get(key);
            if (held != null && sameWrite(versionOf.applyAsLong(held), updatedAtOf.apply(held), hash)) {
                good.put(key, held);
                return;
            }
            try {
                T item = codec.apply(hash);
                if (!keyOf.apply(item).equals(key)) {
                    throw new IllegalArgumentException("the hash holds key '" + keyOf.apply(item) + "'");
                }
                good.put(key, item);
            } catch (RuntimeException ex) {
                bad.put(key, ex);
            }
        });
        bad.forEach((key, ex) -> corrupt(key, hashes.get(key), ex));
        return new HashMap<>(good);
    }

    /**
     * Whether {@code hash} holds the write a definition at {@code version}, written at {@code
     * updatedAt}, came from: the version alone is not enough after a failover, which may put another
     * write under a version this client applied.
     */
    private static boolean sameWrite(long version, Instant updatedAt, Map<String, String> hash) {
        String at = hash.get("updatedAt");
        try {
            return Long.toString(version).equals(hash.get("version"))
                    && updatedAt != null
                    && at != null
                    && Instant.parse(at).equals(updatedAt);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private void corrupt(String key, Map<String, String> hash, RuntimeException e) {
        metrics.error(SourceMetrics.ErrorKind.FLAG);
        if (reportedCorrupt.size() > MAX_REPORTED_CORRUPT) {
            reportedCorrupt.clear();
        }
        String problem = hash.isEmpty() ? "the hash is missing" : e.getMessage();
        if (reportedCorrupt.add(key + "@" + hash.get("version"))) {
            LOG.log(
                    Level.WARNING,
                    "ignoring corrupt '" + key + "' in namespace '" + namespace + "' (version " + hash.get("version")
                            + "); keeping its last good definition: " + problem);
        }
    }

    // ---- delivery -----------------------------------------------------------------------------

    private void deliver(FlagData data, String newEpoch) {
        try {
            sink.init(data);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "the flag sink failed to take a full set", e);
        }
        flags.clear();
        flags.putAll(data.flags());
        segments.clear();
        segments.putAll(data.segments());
        delivered = true;
        applied = data.version();
        epoch = newEpoch;
        changed();
    }

    private void deliver(FlagUpdate update) {
        try {
            sink.apply(update);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "the flag sink failed to apply version " + update.version(), e);
        }
        update.flags().forEach(f -> flags.put(f.key(), f));
        update.deletedFlags().forEach(flags::remove);
        update.segments().forEach(s -> segments.put(s.key(), s));
        update.deletedSegments().forEach(segments::remove);
        applied = update.version();
        changed();
    }

    private void changed() {
        appliedAtMillis = System.currentTimeMillis();
        presenceSoon();
        if (backupWriter != null && backupAt == Long.MAX_VALUE) {
            backupAt = System.nanoTime() + BACKUP_DEBOUNCE_NANOS;
        }
    }

    // ---- state --------------------------------------------------------------------------------

    private void healthy() {
        if (outageSince != 0) {
            LOG.log(
                    Level.INFO,
                    "Redis reachable again after " + (System.currentTimeMillis() - outageSince) + " ms; namespace '"
                            + namespace + "' at version " + applied);
            outageSince = 0;
        }
        if (!reset && fromRedis) {
            setState(SourceState.VALID, null);
        }
    }

    private void unreachable(String what, RedisException cause) {
        String why = "Redis at " + settings.options().redactedUri() + ": " + what
                + (cause == null ? "" : " (" + RedisSupport.describe(cause) + ")");
        BackupFile.Content backup = !delivered && !backupTried ? readBackup() : null;
        boolean fromBackup = backup != null;
        if (fromBackup) {
            deliverBackup(backup, why);
        }
        backupTried |= !delivered || fromBackup;
        if (outageSince == 0) {
            outageSince = System.currentTimeMillis();
            LOG.log(
                    Level.WARNING,
                    why + (delivered ? "; serving version " + applied : "; no flags yet") + "; retrying");
        }
        if (!reset && !fromBackup) {
            setState(SourceState.STALE, why + (delivered ? "; serving version " + applied : "; no flags yet"));
        }
    }

    private void setState(SourceState newState, String message) {
        // enterReset calls only with a new reason, which the sink is told even when already reset
        if (newState != state || newState == SourceState.NAMESPACE_RESET) {
            state = newState;
            try {
                sink.stateChanged(newState, message);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "the flag sink failed to take a state change", e);
            }
            presenceSoon();
        }
    }

    // ---- backup file --------------------------------------------------------------------------

    /** The backup file's content, or {@code null} when there is none or it is unusable (logged). */
    private BackupFile.Content readBackup() {
        if (settings.backupFile() == null || !Files.exists(settings.backupFile())) {
            return null;
        }
        try {
            BackupFile.Content content = BackupFile.read(settings.backupFile());
            if (!content.namespace().equals(namespace)) {
                throw new IOException("it holds namespace '" + content.namespace() + "', not '" + namespace + "'");
            }
            return content;
        } catch (IOException | RuntimeException e) {
            metrics.error(SourceMetrics.ErrorKind.BACKUP);
            LOG.log(Level.WARNING, "cannot use the backup file " + settings.backupFile() + ": " + e.getMessage());
            return null;
        }
    }

    private void deliverBackup(BackupFile.Content content, String why) {
        deliver(content.data(), content.epoch());
        backupAt = Long.MAX_VALUE; // nothing new to write
        setState(
                SourceState.STALE,
                why + "; serving the backup file " + settings.backupFile() + " (version " + applied + ", saved "
                        + content.savedAt() + ")");
        LOG.log(
                Level.WARNING,
                "started from the backup file " + settings.backupFile() + " (version " + applied + ", saved "
                        + content.savedAt() + "): " + why);
    }

    private void writeBackup() {
        FlagData data = new FlagData(applied, flags, segments);
        String backupEpoch = epoch;
        backupWriter.execute(() -> {
            try {
                BackupFile.write(settings.backupFile(), namespace, backupEpoch, data);
            } catch (IOException | RuntimeException e) {
                metrics.error(SourceMetrics.ErrorKind.BACKUP);
                LOG.log(Level.WARNING, "cannot write the backup file " + settings.backupFile() + ": " + e);
            }
        });
    }

    // ---- presence -----------------------------------------------------------------------------

    /**
     * Writes presence right after a change, but at most every {@value #PRESENCE_GAP_MILLIS} ms: a
     * burst of changes costs one write, and the entry still says when each version was applied.
     */
    private void presenceSoon() {
        long at = Math.max(System.nanoTime(), lastPresence + TimeUnit.MILLISECONDS.toNanos(PRESENCE_GAP_MILLIS));
        nextHeartbeat = Math.min(nextHeartbeat, at);
    }

    private void writePresence() {
        long now = System.nanoTime();
        lastPresence = now;
        nextHeartbeat = now + settings.heartbeatInterval().toNanos();
        if (commands == null || !commands.isOpen()) {
            return;
        }
        String entry = PresenceJson.write(new ServiceInstance(
                settings.serviceName(),
                settings.instanceId(),
                host,
                applied,
                appliedAtMillis == 0 ? null : Instant.ofEpochMilli(appliedAtMillis),
                Instant.now(),
                started,
                epoch.isEmpty() ? null : epoch,
                settings.heartbeatInterval(),
                null,
                null));
        // fire and forget: presence must never delay applying changes
        commands.async().hset(keys.clients(), settings.instanceId(), entry);
    }

    // ---- usage --------------------------------------------------------------------------------

    /** Queues one HSET of {@code usage} fields; written by the updater thread, dropped while disconnected. */
    public void recordUsage(Map<String, String> fields) {
        events.add(new Usage(fields));
    }

    private void writeUsage(Map<String, String> fields) {
        if (commands != null && commands.isOpen()) {
            // fire and forget like presence: usage is best effort and must not delay changes
            commands.async().hset(keys.usage(), fields);
        }
    }

    // ---- shutdown -----------------------------------------------------------------------------

    private void shutdown() {
        try {
            if (commands != null && commands.isOpen()) {
                commands.sync().hdel(keys.clients(), settings.instanceId());
            }
        } catch (RedisException e) {
            LOG.log(Level.DEBUG, "could not remove presence entry on close: " + e.getMessage());
        }
        if (backupWriter != null) {
            if (backupAt != Long.MAX_VALUE) {
                writeBackup();
            }
            backupWriter.shutdown();
            try {
                backupWriter.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        StatefulRedisPubSubConnection<String, String> subscriber = pubsub;
        pubsub = null;
        if (subscriber != null) {
            client.release(subscriber, keys.changes(), listener);
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
        setState(SourceState.CLOSED, null);
    }
}
