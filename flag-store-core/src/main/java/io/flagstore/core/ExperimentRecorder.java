package io.flagstore.core;

import io.flagstore.core.internal.CompiledSnapshot;
import io.flagstore.core.internal.EvalResult;
import io.flagstore.core.internal.ExperimentArm;
import io.flagstore.core.model.Experiment;
import io.flagstore.core.model.Flag;
import io.flagstore.core.spi.ExperimentSink;
import io.flagstore.core.spi.Exposure;
import io.flagstore.core.spi.ExposureSink;
import io.flagstore.core.spi.Outcome;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records exposures and outcomes of experiments and hands them, in batches, to the sinks on one
 * daemon thread ({@code flagstore-experiments}), every flush interval and once more on close
 * (docs/experiments.md).
 *
 * <p>Implementation notes: the hot path is {@link #exposed}, reached only for results that carry an
 * {@link ExperimentArm} (non-experiment flags never get here). The arm caches this recorder's
 * {@link ArmState} in {@link ExperimentArm#clientSlot}; a state knows whether its experiment is
 * running (recomputed by the flusher every flush, so the request thread reads no clock). A
 * two-way set-associative table (pairs of adjacent slots, so one cache line) of the last (arm, unit)
 * entries seen answers "already exposed" with a hash, the pair's loads and an identity or equals
 * check, allocating nothing; a miss stores an entry and queues the exposure. The table forgets on
 * collisions, so a unit may be reported again later; that
 * only costs a sink one more event (the Redis counts are unique by construction). Writes to the table
 * race benignly: a lost entry means one more report. The queue is bounded: when the flusher cannot
 * keep up, exposures are dropped and counted ({@code flagstore.experiment.dropped}).
 */
final class ExperimentRecorder {
    private static final System.Logger LOG = System.getLogger(FlagClient.class.getName());
    /** Queued exposures and outcomes at most; beyond, new ones are dropped and counted. */
    static final int QUEUE_CAPACITY = 100_000;

    private final List<ExposureSink> exposureSinks;
    private final List<ExperimentSink> experimentSinks;
    private final Clock clock;
    private final ExperimentMeters meters; // null when metrics are off
    private final Entry[] seen;
    private final int shift;
    private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Map<String, ArmState> states = new ConcurrentHashMap<>();
    private final Map<Object, Boolean> failing = Collections.synchronizedMap(new IdentityHashMap<>());
    private final ScheduledExecutorService timer;
    private volatile MetricIndex index = new MetricIndex(null, Map.of());

    /** This recorder's state of one arm (flag, variant, run), shared by the arms of every version. */
    static final class ArmState {
        final ExperimentRecorder owner;
        final String flagKey;
        final String variant;
        final Instant run;
        final int salt;
        volatile Experiment experiment;
        volatile boolean running;

        ArmState(ExperimentRecorder owner, ExperimentArm arm) {
            this.owner = owner;
            this.flagKey = arm.flagKey();
            this.variant = arm.variant();
            this.run = arm.experiment().startAt();
            this.salt = (flagKey.hashCode() * 31 + variant.hashCode()) * 0x9E3779B9;
            this.experiment = arm.experiment();
        }
    }

    private record Entry(ArmState state, String unit) {
        boolean is(ArmState s, String u) {
            return state == s && (unit == u || unit.equals(u));
        }
    }

    private record PendingExposure(ArmState state, String unit, String contextKey) {}

    private record PendingOutcome(ArmState state, String metric, String unit, Double value) {}

    /** Experiment flag keys by metric, for one compiled snapshot. */
    private record MetricIndex(CompiledSnapshot snapshot, Map<String, String[]> byMetric) {}

    /**
     * @param cacheSize entries of the "already exposed" table (rounded up to a power of two)
     */
    ExperimentRecorder(
            List<ExposureSink> exposureSinks,
            Clock clock,
            ExperimentMeters meters,
            Duration flushInterval,
            int cacheSize) {
        this.exposureSinks = List.copyOf(exposureSinks);
        this.experimentSinks = exposureSinks.stream()
                .filter(ExperimentSink.class::isInstance)
                .map(ExperimentSink.class::cast)
                .toList();
        this.clock = clock;
        this.meters = meters;
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(2, cacheSize) - 1);
        this.seen = new Entry[1 << bits];
        this.shift = 32 - bits;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flagstore-experiments");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, flushInterval.toMillis());
        timer.scheduleWithFixedDelay(this::flushOnTimer, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Records that {@code ctx} was served {@code arm}: the hot path of experiment flags. */
    void exposed(ExperimentArm arm, EvaluationContext ctx) {
        ArmState state = arm.clientSlot instanceof ArmState s && s.owner == this ? s : resolve(arm);
        if (!state.running) {
            return;
        }
        String unit = arm.unit(ctx);
        int hash = (unit.hashCode() ^ state.salt) * 0x9E3779B9;
        int pair = (hash >>> shift) & ~1;
        Entry first = seen[pair];
        Entry second = seen[pair + 1];
        if (first != null && first.is(state, unit) || second != null && second.is(state, unit)) {
            return;
        }
        // fill a free slot of the pair, else evict one chosen by a hash bit the index did not use
        seen[pair + (first == null ? 0 : second == null ? 1 : hash & 1)] = new Entry(state, unit);
        enqueue(new PendingExposure(state, unit, ctx.key()));
    }

    /**
     * Records outcome {@code metric} of {@code ctx} for every running experiment judged on it that
     * assigns the context a variant, evaluating each against {@code compiled} (the deterministic
     * assignment; nothing is looked up).
     */
    void track(CompiledSnapshot compiled, String metric, EvaluationContext ctx, Double value) {
        MetricIndex current = index;
        if (current.snapshot() != compiled) {
            current = indexOf(compiled);
            index = current;
        }
        String[] keys = current.byMetric().get(metric);
        if (keys == null) {
            return;
        }
        for (String key : keys) {
            EvalResult result = compiled.evaluate(key, ctx);
            ExperimentArm arm = result.arm();
            if (arm == null) {
                continue;
            }
            ArmState state = arm.clientSlot instanceof ArmState s && s.owner == this ? s : resolve(arm);
            if (state.running) {
                enqueue(new PendingOutcome(state, metric, arm.unit(ctx), value));
            }
        }
    }

    private static MetricIndex indexOf(CompiledSnapshot compiled) {
        Map<String, List<String>> byMetric = new HashMap<>();
        for (Flag flag : compiled.flags().values()) {
            if (flag.experiment() != null && flag.enabled()) {
                for (String metric : flag.experiment().metrics()) {
                    byMetric.computeIfAbsent(metric, m -> new ArrayList<>()).add(flag.key());
                }
            }
        }
        Map<String, String[]> arrays = new HashMap<>();
        byMetric.forEach((metric, keys) -> arrays.put(metric, keys.toArray(String[]::new)));
        return new MetricIndex(compiled, arrays);
    }

    /** The state of an arm not seen by this recorder in this version yet: the slow path, once per arm. */
    private ArmState resolve(ExperimentArm arm) {
        Experiment experiment = arm.experiment();
        String id = arm.flagKey() + '\u0000' + arm.variant() + '\u0000' + experiment.startAt();
        ArmState state = states.computeIfAbsent(id, k -> new ArmState(this, arm));
        if (!state.experiment.equals(experiment)) {
            state.experiment = experiment; // a newer version of the flag, such as a new stopAt
        }
        state.running = experiment.isRunningAt(clock.instant());
        arm.clientSlot = state;
        return state;
    }

    private void enqueue(Object pending) {
        if (!queue.offer(pending)) {
            dropped.incrementAndGet();
        }
    }

    /** Exposures and outcomes dropped because the queue was full, since the start. */
    long dropped() {
        return dropped.get();
    }

    /** Stops the timer and flushes what is queued. */
    void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "experiment flush still running after 5 s; closing without the last one");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        flush();
    }

    /** A flush on the timer, which an exception must not stop (a scheduled task that throws never runs again). */
    private void flushOnTimer() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "experiment flush failed; retrying at the next interval: " + e, e);
        }
    }

    /** One flush: hands what is queued to the sinks and refreshes which experiments are running. */
    void flush() {
        Instant now = clock.instant();
        states.values().forEach(s -> s.running = s.experiment.isRunningAt(now));
        List<Object> pending = new ArrayList<>();
        queue.drainTo(pending);
        if (meters != null) {
            meters.dropped(dropped.get());
        }
        if (pending.isEmpty()) {
            return;
        }
        List<Exposure> exposures = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (Object p : pending) {
            if (p instanceof PendingExposure e) {
                exposures.add(new Exposure(
                        e.state().flagKey, e.state().variant, e.unit(), e.contextKey(), e.state().run, now));
                if (meters != null) {
                    meters.exposed(e.state().flagKey, e.state().variant);
                }
            } else if (p instanceof PendingOutcome o) {
                outcomes.add(new Outcome(
                        o.metric(), o.state().flagKey, o.state().variant, o.unit(), o.state().run, o.value(), now));
                if (meters != null) {
                    meters.converted(o.state().flagKey, o.state().variant, o.metric(), o.value());
                }
            }
        }
        if (!exposures.isEmpty()) {
            List<Exposure> batch = Collections.unmodifiableList(exposures);
            exposureSinks.forEach(sink -> deliver(sink, () -> sink.exposed(batch), batch.size() + " exposures"));
        }
        if (!outcomes.isEmpty()) {
            List<Outcome> batch = Collections.unmodifiableList(outcomes);
            experimentSinks.forEach(sink -> deliver(sink, () -> sink.converted(batch), batch.size() + " outcomes"));
        }
    }

    /** Runs one delivery; a failure is logged once until the sink succeeds again. */
    private void deliver(Object sink, Runnable delivery, String what) {
        try {
            delivery.run();
            if (failing.remove(sink) != null) {
                LOG.log(Level.INFO, "experiment sink " + sink + " works again");
            }
        } catch (RuntimeException e) { // best effort: the timer must keep running
            if (failing.put(sink, Boolean.TRUE) == null) {
                LOG.log(
                        Level.WARNING,
                        "experiment sink " + sink + " failed; dropping " + what + " (logged once): " + e,
                        e);
            }
        }
    }
}
