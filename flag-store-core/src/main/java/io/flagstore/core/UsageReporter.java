package io.flagstore.core;

import io.flagstore.core.spi.UsageSink;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Hands the flags a client evaluated to its source's {@link UsageSink}, every interval on one daemon
 * thread and once more on close.
 */
final class UsageReporter {
    private static final System.Logger LOG = System.getLogger(FlagClient.class.getName());

    private final UsageTracker tracker = new UsageTracker();
    private final UsageSink sink;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    UsageReporter(UsageSink sink, Duration interval, Clock clock) {
        this.sink = sink;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flagstore-usage");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::report, millis, millis, TimeUnit.MILLISECONDS);
    }

    UsageTracker tracker() {
        return tracker;
    }

    /** Stops the timer and reports what was evaluated since the last report. */
    void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "flag usage report still running after 5 s; closing without the last one");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        report();
    }

    private void report() {
        Set<String> used = tracker.collect();
        if (used.isEmpty()) {
            return;
        }
        try {
            sink.flagsEvaluated(Collections.unmodifiableSet(used), clock.instant());
        } catch (RuntimeException e) { // usage is best effort; the timer must keep running
            LOG.log(Level.WARNING, "could not record flag usage for " + used.size() + " flags: " + e, e);
        }
    }
}
