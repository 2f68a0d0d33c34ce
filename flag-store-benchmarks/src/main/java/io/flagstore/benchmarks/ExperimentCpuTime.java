package io.flagstore.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link ExperimentBenchmark} workloads measured in CPU time of the measuring thread, like
 * {@link EvaluationCpuTime}: for a shared machine, where JMH's wall-clock averages include the time
 * the thread waited for a core.
 *
 * <p>Run: {@code java -cp flag-store-benchmarks/target/benchmarks.jar
 * io.flagstore.benchmarks.ExperimentCpuTime}.
 */
public final class ExperimentCpuTime {
    private static final int BURST = 50_000;
    private static final int BURSTS = 200;

    private ExperimentCpuTime() {}

    /**
     * {@code track} without the drop path: at millions of calls a second the client's queue (100,000)
     * fills faster than one flush thread empties it, and a full queue drops (cheaper). Here each
     * burst of 50,000 calls starts once every earlier outcome was delivered, so none is dropped.
     */
    private static void trackInBursts(ThreadMXBean threads, ExperimentBenchmark state) {
        long[] perBurst = new long[BURSTS];
        long delivered = quiet(state);
        for (int burst = 0; burst < BURSTS; burst++) {
            long expected = delivered + BURST;
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < BURST; i++) {
                state.track();
            }
            perBurst[burst] = threads.getCurrentThreadCpuTime() - start;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (state.outcomesDelivered() < expected && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            delivered = state.outcomesDelivered();
            if (delivered != expected) {
                throw new IllegalStateException("outcomes dropped or late: " + delivered + " of " + expected);
            }
        }
        Arrays.sort(perBurst);
        System.out.printf(
                "%-16s %-8s %10.1f  %12.1f   (%d bursts of %d, none dropped)%n",
                "track, no drops",
                true,
                perBurst[0] / (double) BURST,
                perBurst[BURSTS / 2] / (double) BURST,
                BURSTS,
                BURST);
    }

    /** Waits until the earlier calls' outcomes stopped arriving (the queue is empty); returns their count. */
    private static long quiet(ExperimentBenchmark state) {
        long seen = -1;
        while (seen != state.outcomesDelivered()) {
            seen = state.outcomesDelivered();
            LockSupport.parkNanos(200_000_000L);
        }
        return seen;
    }

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("benchmark          metrics  best ns/op  median ns/op (CPU time)");
        ExperimentBenchmark state = new ExperimentBenchmark();
        state.setUp();
        try {
            EvaluationCpuTime.report(threads, "plainRollout", true, state::plainRollout);
            EvaluationCpuTime.report(threads, "experimentExposed", true, state::experimentExposed);
            EvaluationCpuTime.report(threads, "track", true, () -> {
                state.track();
                return true;
            });
            trackInBursts(threads, state);
        } finally {
            state.tearDown();
        }
    }
}
