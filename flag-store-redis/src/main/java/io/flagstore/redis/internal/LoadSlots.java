package io.flagstore.redis.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Bounds how many sources of one JVM read a namespace whole at the same time: as many as it has
 * cores, and at least two (so that a load waiting on an unreachable Redis, until its command times
 * out, does not hold up every other). A full load is CPU work (decoding and validating every flag)
 * on cores and event loops that all the JVM's sources share: a process starting many sources at
 * once (several namespaces, or a benchmark's fleet) that loaded them all side by side would finish
 * none of them sooner, would hold every load's pages at once, and would keep replies waiting behind
 * each other until commands timed out. In turn, in arrival order, the first sources are ready early
 * and none later than the JVM's CPU allows. A JVM with one source never waits. Thread-safe.
 */
final class LoadSlots {
    /** The JVM's slots, shared by every source in it. */
    static final LoadSlots SHARED =
            new LoadSlots(Math.max(2, Runtime.getRuntime().availableProcessors()));

    private static final long POLL_MILLIS = 50;

    private final Semaphore slots;

    LoadSlots(int count) {
        this.slots = new Semaphore(count, true);
    }

    /**
     * Waits for a slot; gives up (returning {@code false}) when {@code interrupted} says the load is
     * no longer wanted, checked every 50 ms, or when the thread is interrupted (its flag is kept). A
     * slot taken must be {@linkplain #release released}.
     */
    boolean take(BooleanSupplier interrupted) {
        try {
            while (!slots.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (interrupted.getAsBoolean()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void release() {
        slots.release();
    }
}
