package io.flagstore.cli;

import io.flagstore.redis.FlagAdmin;
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
 * Waits until every service instance that was live when a write landed reports (in its heartbeat
 * entry) an applied version at or past the write's. An instance that stops heartbeating during the
 * wait cannot confirm, so it is reported as unconfirmed rather than silently dropped.
 */
final class FleetWait {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** An instance that applied the write, {@code applyTime} after it was written. */
    record Confirmation(ServiceInstance instance, Duration applyTime) {}

    /** Who confirmed and who did not. */
    record Outcome(long version, List<Confirmation> confirmed, List<ServiceInstance> unconfirmed, Duration waited) {
        boolean complete() {
            return unconfirmed.isEmpty();
        }
    }

    private FleetWait() {}

    static Outcome await(FlagAdmin admin, long version, Instant writtenAt, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Map<String, ServiceInstance> pending = new LinkedHashMap<>();
        admin.instances().forEach(i -> pending.put(i.instance(), i));
        List<Confirmation> confirmed = new ArrayList<>();
        while (true) {
            Map<String, ServiceInstance> live = new LinkedHashMap<>();
            admin.instances().forEach(i -> live.put(i.instance(), i));
            pending.replaceAll((id, last) -> live.getOrDefault(id, last));
            pending.values().removeIf(i -> {
                if (live.containsKey(i.instance()) && i.appliedVersion() >= version) {
                    confirmed.add(new Confirmation(i, Duration.between(writtenAt, i.appliedAt())));
                    return true;
                }
                return false;
            });
            if (pending.isEmpty() || System.nanoTime() - deadline >= 0) {
                return new Outcome(
                        version,
                        List.copyOf(confirmed),
                        List.copyOf(pending.values()),
                        Duration.ofNanos(System.nanoTime() - start));
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return new Outcome(
                        version,
                        List.copyOf(confirmed),
                        List.copyOf(pending.values()),
                        Duration.ofNanos(System.nanoTime() - start));
            }
        }
    }
}
