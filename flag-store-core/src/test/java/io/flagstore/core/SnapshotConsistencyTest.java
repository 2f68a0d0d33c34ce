package io.flagstore.core;

import static io.flagstore.core.TestFlagDefinitions.string;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Readers of one snapshot never see half of a batch, however updates interleave. */
class SnapshotConsistencyTest {
    private static final int BATCHES = 3_000;
    private static final int READERS = 3;

    @Test
    void readersNeverObserveHalfABatch() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        InMemoryFlagSource source = InMemoryFlagSource.of(string("left", "v0"), string("right", "v0"));
        ExecutorService pool = Executors.newFixedThreadPool(READERS);
        AtomicBoolean writing = new AtomicBoolean(true);
        try (FlagClient client = FlagClient.builder().source(source).build()) {
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                EvaluationContext context = EvaluationContext.of("reader-" + r);
                readers.add(pool.submit(() -> {
                    long reads = 0;
                    do {
                        FlagSnapshot snapshot = client.snapshot();
                        String left = snapshot.stringValue("left", context, "missing-left");
                        String right = snapshot.stringValue("right", context, "missing-right");
                        assertThat(left)
                                .as("seed %d, version %d", seed, snapshot.version())
                                .isEqualTo(right);
                        reads++;
                    } while (writing.get());
                    return reads;
                }));
            }
            for (int i = 1; i <= BATCHES; i++) {
                String value = "v" + random.nextInt(1_000_000);
                // alternate the order inside the batch so neither flag is always written first
                List<io.flagstore.core.model.Flag> batch = i % 2 == 0
                        ? List.of(string("left", value), string("right", value))
                        : List.of(string("right", value), string("left", value));
                source.apply(batch, List.of());
            }
            writing.set(false);
            long reads = 0;
            for (Future<Long> reader : readers) {
                reads += reader.get();
            }
            assertThat(reads).as("seed %d", seed).isPositive();
            assertThat(client.snapshot().version()).isEqualTo(BATCHES + 1);
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
    }
}
