package io.flagstore.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.BooleanSupplier;

/**
 * A supplement to {@link EvaluationBenchmark} for shared machines: runs the same workloads and
 * reports <em>CPU</em> time per evaluation of the measuring thread, which, unlike JMH's wall-clock
 * average, does not count the time the thread waited for a core while other processes ran. Figures
 * still include the slowdown from sharing caches with them. Use JMH for the reference figures on a
 * quiet machine.
 *
 * <p>Run: {@code java -cp flag-store-benchmarks/target/benchmarks.jar
 * io.flagstore.benchmarks.EvaluationCpuTime}.
 */
public final class EvaluationCpuTime {
    private static final int ROUNDS = 10;
    private static final int OPS = 10_000_000;

    private EvaluationCpuTime() {}

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println(
                "benchmark        metrics  best ns/op  median ns/op (CPU time, " + ROUNDS + " rounds of " + OPS + ")");
        for (boolean metrics : new boolean[] {false, true}) {
            EvaluationBenchmark state = new EvaluationBenchmark();
            state.metrics = metrics;
            state.setUp();
            try {
                report(threads, "simpleFlag", metrics, state::simpleFlag);
                report(threads, "rulesAndRollout", metrics, state::rulesAndRollout);
            } finally {
                state.tearDown();
            }
        }
    }

    static void report(ThreadMXBean threads, String name, boolean metrics, BooleanSupplier op) {
        double[] perOp = new double[ROUNDS];
        long trues = 0;
        for (int warmup = 0; warmup < 3; warmup++) {
            for (int i = 0; i < OPS; i++) {
                trues += op.getAsBoolean() ? 1 : 0;
            }
        }
        for (int round = 0; round < ROUNDS; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < OPS; i++) {
                trues += op.getAsBoolean() ? 1 : 0;
            }
            perOp[round] = (threads.getCurrentThreadCpuTime() - start) / (double) OPS;
        }
        java.util.Arrays.sort(perOp);
        System.out.printf("%-16s %-8s %10.1f  %12.1f   (%d on)%n", name, metrics, perOp[0], perOp[ROUNDS / 2], trues);
    }
}
