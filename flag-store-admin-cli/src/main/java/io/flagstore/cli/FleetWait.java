package io.flagstore.cli;

import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.FleetView;
import io.flagstore.redis.ServiceInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Waits until every service instance that was live when a write landed confirms it, as judged by
 * {@link FleetView#confirms}: the write's version or a later one, of the namespace's epoch, not
 * beyond Redis's version, applied after the write. An instance that closes cleanly after applying
 * it has confirmed; one that stops heartbeating cannot confirm and is reported, as are instances
 * that went silent shortly before the write. The wait ends at once when the namespace version is
 * found to have gone backwards.
 *
 * <p>Only an instance's own entry confirms ({@link FleetView#unverified}): one signed by the key
 * trusted for its service when the namespace has trusted keys, else by the key its entry had in the
 * view read just before the write (for an instance first seen after the write, the key it was first
 * seen with). Any holder of the service role can write any presence entry, but not sign with a key
 * it does not hold, so an entry that is unsigned, signed by another key or whose signature does not
 * verify is reported as unverified and never counts. The instances waited for are those of the view
 * before the write and of the first view after it, so entries deleted or added meanwhile neither
 * drop an instance from the wait nor stand in for it. With trusted keys, an entry in those views that
 * cannot be believed, or that says its instance closed without its service's key, is waited for
 * too: otherwise a forger could hide an instance that cannot speak for itself before the write.
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
     * @param unverified of the unconfirmed and lost instances, those whose last entry was not
     *     believed to be their own: instance id to why
     * @param keysTrusted whether entries were held to their services' trusted keys, not to the keys
     *     first seen
     */
    record Outcome(
            long version,
            List<Confirmation> confirmed,
            List<ServiceInstance> unconfirmed,
            List<ServiceInstance> lost,
            List<ServiceInstance> ahead,
            Map<String, String> unverified,
            boolean keysTrusted,
            Duration waited) {
        /** Every instance there was confirmed, and there was at least one. */
        boolean complete() {
            return unconfirmed.isEmpty() && lost.isEmpty() && ahead.isEmpty() && !confirmed.isEmpty();
        }
    }

    private FleetWait() {}

    /** What stands for an instance whose presence entry could not be read: only its id is known. */
    private static ServiceInstance unreadable(String id) {
        return new ServiceInstance("?", id, null, 0, null, Instant.EPOCH, null, null, null, null, null);
    }

    /** As {@link FleetView#unverified}; an instance first seen unreadable is held to its trusted key alone. */
    private static String whyNotItsOwn(FleetView view, ServiceInstance entry, ServiceInstance firstSeen) {
        return view.unverified(entry, firstSeen != null ? firstSeen : entry);
    }

    /** The view to hold instances' keys to: read it just before the write. */
    static FleetView before(FlagAdmin admin) {
        return admin.fleet();
    }

    /**
     * Polls {@code fleet} (every 10 ms) until every instance of {@code before} and of the first view
     * confirms {@code version}, the version is found to have gone backwards, {@code timeout} passes or
     * the thread is interrupted.
     */
    static Outcome await(
            Supplier<FleetView> fleet, FleetView before, long version, Instant writtenAt, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        FleetView view = fleet.get();
        Map<String, ServiceInstance> pending = new LinkedHashMap<>();
        Map<String, ServiceInstance> lost = new LinkedHashMap<>();
        // instance id -> its entry when first seen; absent for one whose entry was not believed then
        Map<String, ServiceInstance> firstSeen = new HashMap<>();
        for (FleetView seen : List.of(before, view)) {
            for (ServiceInstance i : seen.lost()) {
                if (!pending.containsKey(i.instance())) {
                    lost.putIfAbsent(i.instance(), i);
                    firstSeen.putIfAbsent(i.instance(), i);
                }
            }
            for (ServiceInstance i : seen.live()) {
                lost.remove(i.instance());
                pending.putIfAbsent(i.instance(), i);
                firstSeen.putIfAbsent(i.instance(), i);
            }
            if (seen.trustedKeys().isEmpty()) {
                continue;
            }
            // with trusted keys, an entry that says "closed" without the instance's key, or that cannot be
            // believed, may be a forger hiding an instance that cannot speak for itself (partitioned):
            // such an instance is waited for until its own entry says otherwise
            for (ServiceInstance i : seen.closed()) {
                if (!seen.trusts(i) && !lost.containsKey(i.instance())) {
                    pending.putIfAbsent(i.instance(), i);
                    firstSeen.putIfAbsent(i.instance(), i);
                }
            }
            for (FleetView.Implausible i : seen.implausible()) {
                if (!lost.containsKey(i.field())) {
                    pending.putIfAbsent(i.field(), unreadable(i.field()));
                }
            }
        }
        List<Confirmation> confirmed = new ArrayList<>();
        Map<String, String> unverified = new HashMap<>();
        while (true) {
            List<ServiceInstance> ahead = view.ahead();
            Map<String, ServiceInstance> present = new LinkedHashMap<>();
            view.live().forEach(i -> present.put(i.instance(), i));
            view.closed().forEach(i -> present.put(i.instance(), i));
            Map<String, String> refused = new HashMap<>();
            view.implausible().forEach(i -> refused.put(i.field(), i.reason()));
            for (Map<String, ServiceInstance> waiting : List.of(pending, lost)) {
                for (Iterator<Map.Entry<String, ServiceInstance>> it =
                                waiting.entrySet().iterator();
                        it.hasNext(); ) {
                    Map.Entry<String, ServiceInstance> waited = it.next();
                    String id = waited.getKey();
                    ServiceInstance entry = present.get(id);
                    String problem = entry == null
                            ? (refused.containsKey(id) ? "entry not believed: " + refused.get(id) : null)
                            : whyNotItsOwn(view, entry, firstSeen.get(id));
                    if (problem != null) {
                        unverified.put(id, problem);
                        continue;
                    }
                    if (entry == null) {
                        continue; // gone from presence: what was last said of it stands
                    }
                    unverified.remove(id);
                    waited.setValue(entry); // reported as last seen: only ever a verified entry
                    if (view.confirms(entry, version, writtenAt)) {
                        confirmed.add(new Confirmation(entry, Duration.between(writtenAt, entry.appliedAt())));
                        it.remove();
                    } else if (entry.closedAt() != null && entry.closedAt().isBefore(writtenAt)) {
                        it.remove(); // it shut down before the write: nothing to confirm, and only it could say so
                    }
                }
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
                        Map.copyOf(unverified),
                        !view.trustedKeys().isEmpty(),
                        Duration.ofNanos(System.nanoTime() - start));
            }
            LockSupport.parkNanos(POLL_NANOS);
            view = fleet.get();
        }
    }
}
