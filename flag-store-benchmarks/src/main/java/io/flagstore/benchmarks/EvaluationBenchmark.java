package io.flagstore.benchmarks;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Serve;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Flag evaluation cost: (a) a boolean flag without rules, (b) a flag whose rule
 * has three clauses and serves a 50/50 rollout, over 1024 pre-built varying contexts; each through
 * the public entry point {@link FlagClient#boolValue}, with metrics off and on (a {@link
 * SimpleMeterRegistry}).
 *
 * <p>Run: {@code java -jar flag-store-benchmarks/target/benchmarks.jar EvaluationBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EvaluationBenchmark {
    static final String SIMPLE = "simple-kill-switch";
    static final String TARGETED = "checkout-experiment";
    private static final int CONTEXTS = 1024;

    /** Whether the client records evaluation metrics. */
    @Param({"false", "true"})
    public boolean metrics;

    /** Whether the client records flag usage (docs/flag-debt.md), as it does on a Redis source. */
    @Param({"false", "true"})
    public boolean usage;

    private FlagClient client;
    private EvaluationContext[] contexts;
    private int next;

    @Setup
    public void setUp() {
        Flag simple = Flag.killSwitch(SIMPLE);
        Flag targeted = Flag.booleanFlag(TARGETED)
                .enabled(true)
                .fallthrough(Serve.variant(Flag.OFF))
                .rule(Workload.eligibleRollout())
                .build();
        InMemoryFlagSource source = InMemoryFlagSource.of(simple, targeted);
        FlagClient.Builder builder = FlagClient.builder().source(usage ? new DiscardingUsageSource(source) : source);
        if (metrics) {
            builder.meterRegistry(new SimpleMeterRegistry());
        }
        client = builder.build();
        contexts = Workload.contexts(CONTEXTS);
    }

    @TearDown
    public void tearDown() {
        client.close();
    }

    private EvaluationContext nextContext() {
        return contexts[next++ & (CONTEXTS - 1)];
    }

    /** (a) a boolean flag with no rules. */
    @Benchmark
    public boolean simpleFlag() {
        return client.boolValue(SIMPLE, nextContext(), false);
    }

    /** (b) three clauses and a 50/50 rollout. */
    @Benchmark
    public boolean rulesAndRollout() {
        return client.boolValue(TARGETED, nextContext(), false);
    }
}
