package io.flagstore.console;

import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.FleetView;
import io.flagstore.redis.ServiceInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Follows the service instances of one namespace for the delivery and fleet views.
 *
 * <p>Implementation notes: instances report the version they applied in their presence entry, which
 * Redis does not announce. So a write seen on the change channel (or made by this console) makes the
 * tracker read presence every {@link #HOT_POLL} until every instance confirmed the write or {@link
 * #LAGGING_AFTER} has passed; otherwise it reads it every {@link #IDLE_POLL} to follow heartbeats. Each
 * read that differs from the last is pushed to the listeners (the Server-Sent Event streams), so
 * browsers never poll. One thread per namespace; listeners run on it and must not block.
 *
 * <p>An instance counts as having applied a write only by its own entry: signed by the key the
 * tracker first saw it with, as {@code flagctl --wait} holds instances to their key from before the
 * write. Any holder of the service role can write any presence entry, so one unsigned or signed by
 * another key is shown as unverified and never confirms. An instance first seen with a forged entry
 * is held to the forger's key, as one first seen after the write is by {@code --wait}.
 */
final class FleetTracker implements AutoCloseable {
    /** An instance that has not applied a write this long after it was written is named lagging. */
    static final Duration LAGGING_AFTER = Duration.ofSeconds(3);

    static final Duration HOT_POLL = Duration.ofMillis(5);
    static final Duration IDLE_POLL = Duration.ofSeconds(1);

    /**
     * A read of the fleet. {@code readAt} is the console's clock; {@code view} is the judged read
     * ({@code null} before the first); {@code unverified} maps the instances whose entry is not their
     * own word (see {@link FleetView#unverified}) to why.
     */
    record Fleet(
            List<ServiceInstance> instances,
            Instant readAt,
            String error,
            FleetView view,
            Map<String, String> unverified) {
        Fleet {
            instances = List.copyOf(instances);
            unverified = Map.copyOf(unverified);
        }

        /**
         * Whether {@code instance} confirms a write of {@code version} made at {@code writtenAt}
         * ({@code null}: unknown): its own signed entry, judged by {@link FleetView#confirms}.
         */
        boolean confirms(ServiceInstance instance, long version, Instant writtenAt) {
            return view != null
                    && !unverified.containsKey(instance.instance())
                    && view.confirms(instance, version, writtenAt == null ? Instant.EPOCH : writtenAt);
        }
    }

    private static final System.Logger LOG = System.getLogger(FleetTracker.class.getName());

    private final FlagAdmin admin;
    private final String ownInstance;
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition refreshed = lock.newCondition();
    private final Thread thread;
    private volatile Fleet fleet = new Fleet(List.of(), Instant.EPOCH, null, null, Map.of());
    // instance id -> its entry when this tracker first saw it (its key and service); tracker thread only
    private final Map<String, ServiceInstance> firstSeen = new HashMap<>();
    private long hotVersion;
    private Instant hotUntil = Instant.EPOCH;
    private volatile boolean closed;

    /**
     * @param ownInstance the instance id of the console's own flag source, left out of every view
     */
    FleetTracker(FlagAdmin admin, String ownInstance, String namespace) {
        this.admin = admin;
        this.ownInstance = ownInstance;
        this.thread = new Thread(this::run, "console-fleet-" + namespace);
        this.thread.setDaemon(true);
    }

    void start() {
        refresh();
        thread.start();
    }

    Fleet fleet() {
        return fleet;
    }

    /** A write at {@code version} happened: follow presence closely until it is everywhere or late. */
    void written(long version, Instant writtenAt) {
        lock.lock();
        try {
            hotVersion = Math.max(hotVersion, version);
            Instant until = (writtenAt == null ? Instant.now() : writtenAt)
                    .plus(LAGGING_AFTER)
                    .plusSeconds(1);
            if (until.isAfter(hotUntil)) {
                hotUntil = until;
            }
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every running instance has applied {@code version}, at most {@code timeout}.
     *
     * @return whether they all did
     */
    boolean awaitDelivered(long version, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!allAt(version)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                refreshed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Registers a listener called (on the tracker's thread) after each read that changed something. */
    Runnable subscribe(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void run() {
        while (!closed) {
            boolean hot;
            lock.lock();
            try {
                hot = Instant.now().isBefore(hotUntil) && !allAt(hotVersion);
                long wait = (hot ? HOT_POLL : IDLE_POLL).toNanos();
                wake.awaitNanos(wait);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (!closed) {
                refresh();
            }
        }
    }

    private boolean allAt(long version) {
        Fleet f = fleet;
        return f.instances().stream().allMatch(i -> i.closedAt() != null || f.confirms(i, version, null));
    }

    private void refresh() {
        Fleet next;
        try {
            FleetView view = admin.fleet();
            List<ServiceInstance> instances = view.live().stream()
                    .filter(i -> !i.instance().equals(ownInstance))
                    .toList();
            Map<String, String> unverified = new HashMap<>();
            for (ServiceInstance i : instances) {
                String why = view.unverified(i, firstSeen.computeIfAbsent(i.instance(), id -> i));
                if (why != null) {
                    unverified.put(i.instance(), why);
                }
            }
            // forget the keys of instances gone from presence altogether, so the map follows the fleet
            Set<String> known = new HashSet<>();
            List.of(view.live(), view.closed(), view.lost()).forEach(l -> l.forEach(i -> known.add(i.instance())));
            firstSeen.keySet().retainAll(known);
            next = new Fleet(instances, Instant.now(), null, view, unverified);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot read the fleet: {0}", e.getMessage());
            Fleet last = fleet;
            next = new Fleet(
                    last.instances(),
                    last.readAt(),
                    "cannot read the fleet from Redis",
                    last.view(),
                    last.unverified());
        }
        Fleet previous = fleet;
        lock.lock();
        try {
            fleet = next;
            refreshed.signalAll();
        } finally {
            lock.unlock();
        }
        if (!Objects.equals(previous.instances(), next.instances())
                || !Objects.equals(previous.error(), next.error())
                || !Objects.equals(previous.unverified(), next.unverified())) {
            for (Runnable listener : listeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "fleet listener failed: {0}", e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
