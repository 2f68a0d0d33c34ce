package io.flagstore.redis.internal;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.SourceState;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands deliveries and states to the client's sink (a failing sink is logged, never ends the
 * updater), records what was delivered as held, and measures the propagation lag of each write by the
 * path it came by.
 *
 * <p>Not thread-safe (the updater thread's).
 */
final class Deliverer {
    private static final System.Logger LOG = SourceLog.LOG;

    private final FlagSink sink;
    private final HeldSet held;
    private final SourceMetrics metrics;

    Deliverer(FlagSink sink, HeldSet held, SourceMetrics metrics) {
        this.sink = sink;
        this.held = held;
        this.metrics = metrics;
    }

    /**
     * Delivers, then records it as held; {@code path} tags the lag ({@code null}: not measured).
     * Returns whether anything was delivered.
     */
    boolean deliver(HeldSet.Delivery delivery, String path) {
        long heldVersion = held.version();
        long nowMillis;
        if (delivery instanceof HeldSet.Init init) {
            try {
                sink.init(init.data());
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "the flag sink failed to take a full set", e);
            }
            nowMillis = System.currentTimeMillis();
            held.accept(init, nowMillis);
            recordLag(
                    path,
                    heldVersion,
                    init.data().flags().values(),
                    init.data().segments().values(),
                    nowMillis);
        } else if (delivery instanceof HeldSet.Update update) {
            try {
                sink.apply(update.update());
            } catch (RuntimeException e) {
                LOG.log(
                        Level.ERROR,
                        "the flag sink failed to apply version "
                                + update.update().version(),
                        e);
            }
            nowMillis = System.currentTimeMillis();
            metrics.updated();
            held.accept(update, nowMillis);
            recordLag(
                    path, heldVersion, update.update().flags(), update.update().segments(), nowMillis);
        } else {
            return false;
        }
        return true;
    }

    /** Tells the sink the source's state. */
    void state(SourceState report, String detail) {
        try {
            sink.stateChanged(report, detail);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "the flag sink failed to take a state change", e);
        }
    }

    /** One lag sample per write delivered above {@code heldVersion}, from the write time it carries. */
    private void recordLag(
            String path, long heldVersion, Iterable<Flag> flags, Iterable<Segment> segments, long nowMillis) {
        if (path == null) {
            return;
        }
        Map<Long, Instant> writes = new HashMap<>();
        flags.forEach(f -> {
            if (f.version() > heldVersion && f.updatedAt() != null) {
                writes.put(f.version(), f.updatedAt());
            }
        });
        segments.forEach(s -> {
            if (s.version() > heldVersion && s.updatedAt() != null) {
                writes.put(s.version(), s.updatedAt());
            }
        });
        writes.values().forEach(at -> metrics.lag(path, at.toEpochMilli(), nowMillis));
    }
}
