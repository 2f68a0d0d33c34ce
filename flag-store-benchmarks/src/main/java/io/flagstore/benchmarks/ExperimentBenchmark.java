package io.flagstore.benchmarks;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.model.Experiment;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.core.spi.ExperimentSink;
import io.flagstore.core.spi.Exposure;
import io.flagstore.core.spi.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What experiments cost the caller (docs/benchmarks.md, "Experiments"): the same 50/50 rollout
 * evaluated through {@link FlagClient#boolValue} as a plain flag and as an experiment flag whose
 * every context was already exposed, and {@link FlagClient#track} of an outcome, over 1024 pre-built
 * contexts, with a client that records experiments (a sink that counts batches, metrics on).
 *
 * <p>Run: {@code java -jar flag-store-benchmarks/target/benchmarks.jar ExperimentBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExperimentBenchmark {
    static final String PLAIN = "plain-rollout";
    static final String EXPERIMENT = "experiment-rollout";
    static final String METRIC = "checkout.completed";
    private static final int CONTEXTS = 1024;

    private FlagClient client;
    private EvaluationContext[] contexts;
    private int next;
    private final LongAdder outcomes = new LongAdder();
    private final LongAdder exposures = new LongAdder();

    @Setup(Level.Trial)
    public void setUp() {
        Serve split = Serve.rollout(
                new Rollout(List.of(new WeightedVariant(Flag.OFF, 50), new WeightedVariant(Flag.ON, 50)), null));
        Flag plain = Flag.booleanFlag(PLAIN).enabled(true).fallthrough(split).build();
        Flag experiment = Flag.booleanFlag(EXPERIMENT)
                .enabled(true)
                .fallthrough(split)
                .experiment(new Experiment(
                        Flag.OFF, null, List.of(METRIC), null, Instant.now().minusSeconds(60), null))
                .build();
        client = FlagClient.builder()
                .source(InMemoryFlagSource.of(plain, experiment))
                .meterRegistry(new SimpleMeterRegistry())
                .exposureSink(new ExperimentSink() {
                    @Override
                    public void exposed(List<Exposure> batch) {
                        exposures.add(batch.size());
                    }

                    @Override
                    public void converted(List<Outcome> batch) {
                        outcomes.add(batch.size());
                    }
                })
                .experimentFlushInterval(Duration.ofMillis(1))
                .build();
        contexts = Workload.contexts(CONTEXTS);
        for (EvaluationContext ctx : contexts) {
            client.boolValue(EXPERIMENT, ctx, false); // every context exposed before measuring
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        System.out.println("\nexposures reported: " + exposures.sum() + " (of " + CONTEXTS + " contexts)"
                + ", outcomes delivered: " + outcomes.sum());
    }

    /** Outcomes the sink received so far. */
    long outcomesDelivered() {
        return outcomes.sum();
    }

    private EvaluationContext nextContext() {
        return contexts[next++ & (CONTEXTS - 1)];
    }

    /** A 50/50 rollout without an experiment, on a client that records experiments. */
    @Benchmark
    public boolean plainRollout() {
        return client.boolValue(PLAIN, nextContext(), false);
    }

    /** The same rollout as an experiment, for a context already exposed: the steady state. */
    @Benchmark
    public boolean experimentExposed() {
        return client.boolValue(EXPERIMENT, nextContext(), false);
    }

    /** One outcome with a value: the caller's share (the flush thread does the rest). */
    @Benchmark
    public void track() {
        client.track(METRIC, nextContext(), 12.5);
    }
}
