package io.flagstore.cli;

import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.FleetView;
import io.flagstore.redis.ServiceInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until every service instance that was live when a write landed confirms it, as judged by
 * {@link FleetView#confirms}: the write's version or a later one, of the namespace's epoch, not
 * beyond Redis's version, applied after the write. An instance that closes cleanly after applying
 * it has confirmed; one that stops heartbeating cannot confirm and is reported, as are instances
 * that went silent shortly before the write. The wait ends at once when the namespace version is
 * found to have gone backwards.
 */
final class FleetWait {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** An instance that applied the write, {@code applyTime} after it was written. */
    record Confirmation(ServiceInstance instance, Duration applyTime) {}

    /**
     * Who confirmed and who did not.
     *
     * @param lost instances silent since shortly before the write (a fleet smaller than it was)
     * @param ahead live instances holding a version above Redis's: the version went backwards
     */
    record Outcome(
            long version,
            List<Confirmation> confirmed,
            List<ServiceInstance> unconfirmed,
            List<ServiceInstance> lost,
            List<ServiceInstance> ahead,
            Duration waited) {
        /** Every instance there was confirmed, and there was at least one. */
        boolean complete() {
            return unconfirmed.isEmpty() && lost.isEmpty() && ahead.isEmpty() && !confirmed.isEmpty();
        }
    }

    private FleetWait() {}

    static Outcome await(FlagAdmin admin, long version, Instant writtenAt, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        FleetView view = admin.fleet();
        Map<String, ServiceInstance> pending = new LinkedHashMap<>();
        view.live().forEach(i -> pending.put(i.instance(), i));
        Map<String, ServiceInstance> lost = new LinkedHashMap<>();
        view.lost().forEach(i -> lost.put(i.instance(), i));
        List<Confirmation> confirmed = new ArrayList<>();
        while (true) {
            List<ServiceInstance> ahead = view.ahead();
            Map<String, ServiceInstance> present = new LinkedHashMap<>();
            view.live().forEach(i -> present.put(i.instance(), i));
            view.closed().forEach(i -> present.put(i.instance(), i));
            for (Map<String, ServiceInstance> waiting : List.of(pending, lost)) {
                waiting.replaceAll((id, last) -> present.getOrDefault(id, last));
                FleetView current = view;
                waiting.values().removeIf(i -> {
                    if (present.containsKey(i.instance()) && current.confirms(i, version, writtenAt)) {
                        confirmed.add(new Confirmation(i, Duration.between(writtenAt, i.appliedAt())));
                        return true;
                    }
                    return false;
                });
            }
            boolean done = !ahead.isEmpty() || (pending.isEmpty() && lost.isEmpty());
            if (done
                    || System.nanoTime() - deadline >= 0
                    || Thread.currentThread().isInterrupted()) {
                return new Outcome(
                        version,
                        List.copyOf(confirmed),
                        List.copyOf(pending.values()),
                        List.copyOf(lost.values()),
                        ahead,
                        Duration.ofNanos(System.nanoTime() - start));
            }
            LockSupport.parkNanos(POLL_NANOS);
            view = admin.fleet();
        }
    }
}
