package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RandomWrites;
import io.flagstore.redis.testing.RecordingSink;
import io.flagstore.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A source loading in pages of three hashes while admins write concurrently (creates, updates,
 * deletes, segment writes, batches; seeded, the seed in every failure message; thread timing is
 * not replayable): the first full set it delivers is exactly Redis at the version it reports
 * (rebuilt from the audit stream), and afterwards it converges to Redis flag by flag.
 */
class PagedLoadIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private static final int WRITERS = 2;
    private static final int FLAG_KEYS = 120;
    private static final int SEGMENT_KEYS = 6;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {101, 102, 103, 20261125})
    void aLoadInTinyPagesDuringWritesIsRedisAtItsVersionAndThenConverges(long seed) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        try (SourceFixture fx = new SourceFixture(redis)) {
            RandomWrites setup = new RandomWrites(fx.admin(), seed, FLAG_KEYS, SEGMENT_KEYS);
            for (int i = 0; i < 200; i++) {
                setup.next();
            }
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                long writerSeed = seed + 1 + w;
                writers.add(pool.submit(() -> {
                    try (FlagAdmin admin = FlagAdmin.connect(fx.options())) {
                        RandomWrites writes = new RandomWrites(admin, writerSeed, FLAG_KEYS, SEGMENT_KEYS);
                        while (writing.get()) {
                            if (writes.next()) {
                                written.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> written.get() >= 10);
            long before = RedisTruth.version(redis, fx.namespace);
            FirstLoad sink = new FirstLoad();
            fx.build(b -> b.loadPageSize(3).reconcileInterval(SourceFixture.NEVER))
                    .start(sink);
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.first.get() != null);
            int afterLoad = written.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> written.get() >= afterLoad + 30);
            writing.set(false);
            for (Future<?> writer : writers) {
                writer.get(10, TimeUnit.SECONDS);
            }

            FlagData first = sink.first.get();
            long end = RedisTruth.version(redis, fx.namespace);
            String run = "seed " + seed + " (loaded version " + first.version() + ", started at " + before
                    + ", ended at " + end + ")";
            assertThat(first.version())
                    .as("writes landed during the load, %s", run)
                    .isGreaterThan(before);
            List<AuditEntry> history = fx.admin().history(100_000);
            State atEnd = State.replay(history, end);
            assertThat(atEnd.flags())
                    .as("the audit replay is Redis at the end, %s", run)
                    .isEqualTo(RedisTruth.flags(redis, fx.namespace));
            assertThat(atEnd.segments()).as(run).isEqualTo(RedisTruth.segments(redis, fx.namespace));
            State atLoad = State.replay(history, first.version());
            assertThat(first.flags())
                    .as("the load is Redis at its version, %s", run)
                    .isEqualTo(atLoad.flags());
            assertThat(first.segments()).as("segments, %s", run).isEqualTo(atLoad.segments());
            await("the source converges, " + run).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(sink.recording.version()).isEqualTo(end);
                assertThat(sink.recording.flags()).isEqualTo(atEnd.flags());
                assertThat(sink.recording.segments()).isEqualTo(atEnd.segments());
            });
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
    }

    /** What the namespace held at a version, rebuilt from the audit stream. */
    private record State(Map<String, Flag> flags, Map<String, Segment> segments) {
        static State replay(List<AuditEntry> history, long version) {
            State state = new State(new HashMap<>(), new HashMap<>());
            history.stream()
                    .filter(e -> e.version() > 0 && e.version() <= version)
                    .sorted(Comparator.comparingLong(AuditEntry::version))
                    .forEach(e -> {
                        for (String key : e.keys()) {
                            if (key.startsWith(KeySchema.DELETED_SEGMENT_PREFIX)) {
                                state.segments.remove(key.substring(KeySchema.DELETED_SEGMENT_PREFIX.length()));
                            } else {
                                state.flags.remove(key);
                            }
                        }
                        e.after().forEach(f -> state.flags.put(f.key(), f));
                        e.segmentsAfter().forEach(s -> state.segments.put(s.key(), s));
                    });
            return state;
        }
    }

    /** Records like a client, and keeps the first full set as delivered. */
    private static final class FirstLoad implements FlagSink {
        final RecordingSink recording = new RecordingSink();
        final AtomicReference<FlagData> first = new AtomicReference<>();

        @Override
        public void init(FlagData data) {
            recording.init(data);
            first.compareAndSet(null, data);
        }

        @Override
        public void apply(FlagUpdate update) {
            recording.apply(update);
        }

        @Override
        public void stateChanged(SourceState state, String message) {
            recording.stateChanged(state, message);
        }
    }
}
