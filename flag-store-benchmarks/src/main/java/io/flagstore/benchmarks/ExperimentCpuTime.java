package io.flagstore.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The {@link ExperimentBenchmark} workloads measured in CPU time of the measuring thread, like
 * {@link EvaluationCpuTime}: for a shared machine, where JMH's wall-clock averages include the time
 * the thread waited for a core.
 *
 * <p>Run: {@code java -cp flag-store-benchmarks/target/benchmarks.jar
 * io.flagstore.benchmarks.ExperimentCpuTime}.
 */
public final class ExperimentCpuTime {
    private ExperimentCpuTime() {}

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
        } finally {
            state.tearDown();
        }
    }
}
