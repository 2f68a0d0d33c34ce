package io.flagstore.console;

import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.ServiceInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
 */
final class FleetTracker implements AutoCloseable {
    /** An instance that has not applied a write this long after it was written is named lagging. */
    static final Duration LAGGING_AFTER = Duration.ofSeconds(3);

    static final Duration HOT_POLL = Duration.ofMillis(5);
    static final Duration IDLE_POLL = Duration.ofSeconds(1);

    /** A read of the fleet. {@code readAt} is the console's clock. */
    record Fleet(List<ServiceInstance> instances, Instant readAt, String error) {
        Fleet {
            instances = List.copyOf(instances);
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
    private volatile Fleet fleet = new Fleet(List.of(), Instant.EPOCH, null);
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
        return fleet.instances().stream().allMatch(i -> i.closedAt() != null || i.appliedVersion() >= version);
    }

    private void refresh() {
        Fleet next;
        try {
            next = new Fleet(
                    admin.instances().stream()
                            .filter(i -> !i.instance().equals(ownInstance))
                            .toList(),
                    Instant.now(),
                    null);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot read the fleet: {0}", e.getMessage());
            next = new Fleet(fleet.instances(), fleet.readAt(), "cannot read the fleet from Redis");
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
                || !Objects.equals(previous.error(), next.error())) {
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
