package io.flagstore.core;

import static io.flagstore.core.TestFlagDefinitions.bool;
import static io.flagstore.core.TestFlagDefinitions.number;
import static io.flagstore.core.TestFlagDefinitions.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.metrics.MetricsOptions;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.core.spi.UsageSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class UsageRecordingTest {
    private static final List<String> KEYS = List.of("a", "b", "c", "d", "e", "f");

    /** An in-memory source that also takes usage, as the Redis source does. */
    private static final class RecordingSource implements FlagSource, UsageSink {
        final InMemoryFlagSource flags = InMemoryFlagSource.of(
                bool("a", true), bool("b", false), string("c", "x"), number("d", 2), bool("e", true), bool("f", true));
        final List<Set<String>> reports = new CopyOnWriteArrayList<>();

        @Override
        public void start(FlagSink sink) {
            flags.start(sink);
        }

        @Override
        public void close() {
            flags.close();
        }

        @Override
        public void flagsEvaluated(Set<String> keys, Instant at) {
            reports.add(Set.copyOf(keys));
        }
    }

    @Test
    void closeReportsExactlyTheFlagsEvaluatedIncludingTypeMismatchesButNotMissingFlags() {
        RecordingSource source = new RecordingSource();
        FlagClient client = FlagClient.builder().source(source).build();
        EvaluationContext ctx = EvaluationContext.of("u1");
        client.isEnabled("a", ctx);
        client.stringValue("c", ctx, "z");
        client.boolValue("d", ctx, false); // a number flag asked as boolean: still in use
        client.isEnabled("no-such-flag", ctx);

        client.close();

        assertThat(source.reports).containsExactly(Set.of("a", "c", "d"));
    }

    @Test
    void eachIntervalReportsOnlyWhatWasEvaluatedSinceTheLastReport() {
        RecordingSource source = new RecordingSource();
        try (FlagClient client = FlagClient.builder()
                .source(source)
                .metricsOptions(MetricsOptions.builder()
                        .usageInterval(Duration.ofMillis(50))
                        .build())
                .build()) {
            client.isEnabled("a", EvaluationContext.of("u1"));
            await().atMost(Duration.ofSeconds(5)).until(() -> source.reports.contains(Set.of("a")));
            int seen = source.reports.size();
            client.isEnabled("b", EvaluationContext.of("u1"));
            await().atMost(Duration.ofSeconds(5)).until(() -> source.reports.size() > seen);
            assertThat(source.reports.subList(seen, source.reports.size())).containsExactly(Set.of("b"));
        }
    }

    @Test
    void zeroIntervalTurnsRecordingOff() {
        RecordingSource source = new RecordingSource();
        FlagClient client = FlagClient.builder()
                .source(source)
                .metricsOptions(
                        MetricsOptions.builder().usageInterval(Duration.ZERO).build())
                .build();
        client.isEnabled("a", EvaluationContext.of("u1"));
        client.close();
        assertThat(source.reports).isEmpty();
    }

    @RepeatedTest(20)
    void collectReturnsTheUnionOfMarksSinceTheLastCollection(RepetitionInfo info) {
        long seed = 0x5EEDL * info.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        RecordingSource source = new RecordingSource();
        FlagClient client = FlagClient.builder()
                .source(source)
                .metricsOptions(MetricsOptions.builder()
                        .usageInterval(Duration.ofHours(1))
                        .build())
                .build();
        UsageTracker tracker = new UsageTracker();
        FlagSnapshot snapshot = new FlagSnapshot(client.snapshot().compiled(), true, null, null, tracker, null);
        client.close();
        for (int round = 0; round < 5; round++) {
            Set<String> expected = new HashSet<>();
            List<String> evaluated = new ArrayList<>();
            for (int i = random.nextInt(20); i > 0; i--) {
                String key = KEYS.get(random.nextInt(KEYS.size()));
                evaluated.add(key);
                expected.add(key);
                snapshot.detail(key, EvaluationContext.of("u" + i));
            }
            assertThat(tracker.collect())
                    .as("seed %d, round %d, evaluated %s", seed, round, evaluated)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
