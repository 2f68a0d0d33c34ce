package io.flagstore.benchmarks;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.model.Flag;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.Batch;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Propagation against a real Redis (not part of {@code mvn verify}): {@code
 * --clients} subscribed {@link RedisFlagSource}s in this JVM, each with its own connections as
 * separate services would have, and {@code --flips} enable/disable writes through {@link
 * FlagAdmin}, one at a time. For each flip and client it records the time from the admin call
 * returning to that client's sink having applied the change (an apply that lands before the call
 * returns counts as 0), and from the call's start. Then the cold start: a namespace of {@code
 * --flags} flags, time from {@code start()} to the first full set applied, median of {@code
 * --runs}.
 *
 * <p>With {@code --readers spin} each client is a {@link FlagClient} with one reader thread that
 * evaluates the flag in a tight loop, as a busy service does; with {@code --readers pause} the
 * reader pauses 100 µs after each evaluation. Then the figure is, per flip, the time from the
 * write call's start until the last reader has evaluated the new value (flip to last reader), until
 * the first has, how long the write call alone took, and until every client has applied the change,
 * after which every evaluation that starts, on any thread, returns the new value: what callers see,
 * while "to the last reader" also waits for the scheduler to run a reader that evaluates nothing
 * meanwhile; the cold start is skipped. Spinning readers
 * take every core, so this measures whether a change reaches readers without waiting for a
 * background thread to be scheduled. {@code --source memory} gives the floor of the same measure: the
 * flip goes straight into each client's in-memory source on the calling thread, so only the
 * scheduler stands between it and the readers.
 *
 * <pre>
 * java -cp flag-store-benchmarks/target/benchmarks.jar io.flagstore.benchmarks.PropagationBenchmark \
 *     [--redis redis://127.0.0.1:6379] [--clients 50] [--flips 1000] [--flags 10000] [--runs 5] \
 *     [--readers none|spin|pause] [--source redis|memory]
 * </pre>
 *
 * Without {@code --redis} it starts a {@code redis-server} from PATH on a free loopback port.
 */
public final class PropagationBenchmark {
    private static final int WARMUP_FLIPS = 200;
    private static final int COLD_WARMUP_RUNS = 3;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long READER_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private PropagationBenchmark() {}

    public static void main(String[] args) throws Exception {
        int clients = Integer.parseInt(RedisBenchmarks.option(args, "--clients", "50"));
        int flips = Integer.parseInt(RedisBenchmarks.option(args, "--flips", "1000"));
        int flags = Integer.parseInt(RedisBenchmarks.option(args, "--flags", "10000"));
        int runs = Integer.parseInt(RedisBenchmarks.option(args, "--runs", "5"));
        String readers = RedisBenchmarks.option(args, "--readers", "none");
        String source = RedisBenchmarks.option(args, "--source", "redis");
        if (!source.equals("redis") && !source.equals("memory")) {
            throw new IllegalArgumentException("--source must be redis or memory, not " + source);
        }
        long pauseNanos =
                switch (readers) {
                    case "none", "spin" -> 0;
                    case "pause" -> READER_PAUSE_NANOS;
                    default -> throw new IllegalArgumentException(
                            "--readers must be none, spin or pause, not " + readers);
                };
        RedisBenchmarks.withRedis(args, url -> {
            System.out.printf(
                    Locale.ROOT,
                    "Redis %s, %d clients, readers %s, %d flips (+%d warm-up), %d cores, Java %s%n",
                    url.replaceAll("//[^@]*@", "//***@"),
                    clients,
                    readers,
                    flips,
                    WARMUP_FLIPS,
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.version());
            if (readers.equals("none")) {
                propagation(url, clients, flips);
                coldStart(url, flags, runs);
            } else {
                toReaders(source.equals("memory") ? memoryFlipper() : redisFlipper(url), clients, flips, pauseNanos);
            }
        });
    }

    // ---- propagation ----------------------------------------------------------------------------

    /** Records when each version was applied; versions are consecutive from the first flip. */
    private static final class TimingSink implements FlagSink {
        private final long[] appliedAt;
        private final long firstVersion;
        private final AtomicInteger countdown;
        private volatile boolean ready;

        TimingSink(long firstVersion, int versions, AtomicInteger countdown) {
            this.appliedAt = new long[versions];
            this.firstVersion = firstVersion;
            this.countdown = countdown;
        }

        @Override
        public void init(FlagData data) {
            ready = true;
        }

        @Override
        public void apply(FlagUpdate update) {
            long now = System.nanoTime();
            int index = (int) (update.version() - firstVersion);
            if (index >= 0 && index < appliedAt.length) {
                appliedAt[index] = now;
                countdown.decrementAndGet();
            }
        }

        @Override
        public void stateChanged(SourceState state, String message) {}
    }

    private static void propagation(String url, int clients, int flips) throws Exception {
        RedisOptions options = RedisOptions.builder()
                .uri(url)
                .namespace("bench-propagation-" + System.currentTimeMillis())
                .build();
        int total = WARMUP_FLIPS + flips;
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            long first = admin.create(Flag.killSwitch("kill-switch")).version() + 1;
            AtomicInteger countdown = new AtomicInteger();
            List<TimingSink> sinks = new ArrayList<>();
            List<RedisFlagSource> sources = new ArrayList<>();
            try {
                for (int c = 0; c < clients; c++) {
                    TimingSink sink = new TimingSink(first, total, countdown);
                    RedisFlagSource source = RedisFlagSource.builder()
                            .options(options)
                            .serviceName("bench" + c)
                            .build();
                    source.start(sink);
                    sinks.add(sink);
                    sources.add(source);
                }
                for (TimingSink sink : sinks) {
                    while (!sink.ready) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    }
                }
                Histogram afterReturn = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
                Histogram fromStart = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
                for (int i = 0; i < total; i++) {
                    countdown.set(clients);
                    long start = System.nanoTime();
                    WriteResult result = i % 2 == 0 ? admin.disable("kill-switch") : admin.enable("kill-switch");
                    long returned = System.nanoTime();
                    if (result.version() != first + i) {
                        throw new IllegalStateException("someone else writes to " + options.namespace());
                    }
                    long deadline = returned + TimeUnit.SECONDS.toNanos(10);
                    while (countdown.get() > 0) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("flip " + i + " did not reach " + countdown + " clients");
                        }
                        // sleep, not spin: on a small machine a spinning waiter takes the core a source needs
                        LockSupport.parkNanos(POLL_NANOS);
                    }
                    if (i >= WARMUP_FLIPS) {
                        for (TimingSink sink : sinks) {
                            long applied = sink.appliedAt[i];
                            afterReturn.recordValue(Math.max(0, applied - returned) / 1_000);
                            fromStart.recordValue((applied - start) / 1_000);
                        }
                    }
                }
                RedisBenchmarks.printLatency("propagation from the admin call returning", afterReturn);
                RedisBenchmarks.printLatency("propagation from the admin call starting ", fromStart);
            } finally {
                sources.forEach(RedisFlagSource::close);
            }
        }
    }

    // ---- propagation to evaluating threads ------------------------------------------------------

    /** One client's reader thread: records when it first evaluated each flip's value. */
    private static final class Reader implements Runnable {
        private final FlagClient client;
        private final EvaluationContext context;
        private final long[] seenAt;
        private final AtomicInteger countdown;
        private final long pauseNanos;
        private volatile boolean stop;

        Reader(FlagClient client, int c, int flips, AtomicInteger countdown, long pauseNanos) {
            this.client = client;
            this.context = EvaluationContext.of("reader-" + c);
            this.seenAt = new long[flips];
            this.countdown = countdown;
            this.pauseNanos = pauseNanos;
        }

        @Override
        public void run() {
            int next = 0;
            while (!stop) {
                // flip i disables the enabled flag when i is even, enables it when odd
                if (client.boolValue("kill-switch", context, false) == (next % 2 == 1) && next < seenAt.length) {
                    seenAt[next++] = System.nanoTime();
                    countdown.decrementAndGet();
                }
                if (pauseNanos > 0) {
                    LockSupport.parkNanos(pauseNanos);
                }
            }
        }
    }

    /**
     * A client's source that notes when the client last applied an update: after its sink returns,
     * so after the client's snapshot was swapped (a later time when the thread is preempted in
     * between, never an earlier one). From then on every evaluation that starts, on any thread, sees
     * the update, whether or not the scheduler has given the client's readers a turn yet.
     */
    private static final class AppliedAt implements FlagSource {
        private final FlagSource delegate;
        private volatile long lastApplyNanos;

        AppliedAt(FlagSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public void start(FlagSink sink) {
            delegate.start(new FlagSink() {
                @Override
                public void init(FlagData data) {
                    sink.init(data);
                }

                @Override
                public void apply(FlagUpdate update) {
                    sink.apply(update);
                    lastApplyNanos = System.nanoTime();
                }

                @Override
                public void stateChanged(SourceState state, String message) {
                    sink.stateChanged(state, message);
                }
            });
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /**
     * Flips the kill switch for every reader's client: through Redis with a {@link FlagAdmin}, or
     * (the floor) straight into in-memory sources, which only the scheduler stands between.
     */
    private interface Flipper extends AutoCloseable {
        FlagSource source(int client);

        void flip(int i);

        @Override
        void close();
    }

    private static Flipper redisFlipper(String url) {
        RedisOptions options = RedisOptions.builder()
                .uri(url)
                .namespace("bench-readers-" + System.currentTimeMillis())
                .build();
        FlagAdmin admin = FlagAdmin.connect(options);
        long first = admin.create(Flag.killSwitch("kill-switch")).version() + 1;
        return new Flipper() {
            @Override
            public FlagSource source(int client) {
                return RedisFlagSource.builder()
                        .options(options)
                        .serviceName("bench" + client)
                        .build();
            }

            @Override
            public void flip(int i) {
                WriteResult result = i % 2 == 0 ? admin.disable("kill-switch") : admin.enable("kill-switch");
                if (result.version() != first + i) {
                    throw new IllegalStateException("someone else writes to " + options.namespace());
                }
            }

            @Override
            public void close() {
                admin.close();
            }
        };
    }

    private static Flipper memoryFlipper() {
        List<InMemoryFlagSource> sources = new ArrayList<>();
        Flag on = Flag.killSwitch("kill-switch");
        Flag off = on.toBuilder().enabled(false).build();
        return new Flipper() {
            @Override
            public FlagSource source(int client) {
                InMemoryFlagSource source = InMemoryFlagSource.of(on);
                sources.add(source);
                return source;
            }

            @Override
            public void flip(int i) {
                sources.forEach(source -> source.put(i % 2 == 0 ? off : on));
            }

            @Override
            public void close() {}
        };
    }

    private static void toReaders(Flipper flipper, int clients, int flips, long pauseNanos) throws Exception {
        int total = WARMUP_FLIPS + flips;
        try (flipper) {
            AtomicInteger countdown = new AtomicInteger(clients);
            List<FlagClient> fleet = new ArrayList<>();
            List<Reader> readers = new ArrayList<>();
            List<AppliedAt> sources = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            try {
                for (int c = 0; c < clients; c++) {
                    AppliedAt source = new AppliedAt(flipper.source(c));
                    sources.add(source);
                    FlagClient client = FlagClient.builder()
                            .source(source)
                            .startTimeout(Duration.ofSeconds(30))
                            .build();
                    fleet.add(client);
                    Reader reader = new Reader(client, c, total, countdown, pauseNanos);
                    readers.add(reader);
                    Thread thread = new Thread(reader, "reader-" + c);
                    thread.setDaemon(true);
                    threads.add(thread);
                }
                threads.forEach(Thread::start);
                Histogram toLast = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
                Histogram toFirst = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
                Histogram call = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
                Histogram applied = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
                for (int i = 0; i < total; i++) {
                    countdown.set(clients);
                    long start = System.nanoTime();
                    flipper.flip(i);
                    long returned = System.nanoTime();
                    long deadline = start + TimeUnit.SECONDS.toNanos(10);
                    while (countdown.get() > 0) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("flip " + i + " did not reach " + countdown + " readers");
                        }
                        LockSupport.parkNanos(POLL_NANOS);
                    }
                    if (i >= WARMUP_FLIPS) {
                        long last = 0;
                        long firstSeen = Long.MAX_VALUE;
                        for (Reader reader : readers) {
                            last = Math.max(last, reader.seenAt[i]);
                            firstSeen = Math.min(firstSeen, reader.seenAt[i]);
                        }
                        // each client applied this flip (its readers all saw it), so its last apply is at or after it
                        long appliedEverywhere = start;
                        for (AppliedAt source : sources) {
                            appliedEverywhere = Math.max(appliedEverywhere, source.lastApplyNanos);
                        }
                        applied.recordValue((appliedEverywhere - start) / 1_000);
                        toLast.recordValue((last - start) / 1_000);
                        toFirst.recordValue((firstSeen - start) / 1_000);
                        call.recordValue((returned - start) / 1_000);
                    }
                }
                RedisBenchmarks.printLatency("flip to last reader, from the flip's start", toLast);
                RedisBenchmarks.printLatency("flip to first reader, from the flip's start", toFirst);
                RedisBenchmarks.printLatency("the flip call alone", call);
                RedisBenchmarks.printLatency(
                        "flip to applied in every client (every evaluation starting later sees it)", applied);
            } finally {
                readers.forEach(r -> r.stop = true);
                for (Thread thread : threads) {
                    thread.join();
                }
                fleet.forEach(FlagClient::close);
            }
        }
    }

    // ---- cold start -----------------------------------------------------------------------------

    private static void coldStart(String url, int flags, int runs) throws Exception {
        RedisOptions options = RedisOptions.builder()
                .uri(url)
                .namespace("bench-cold-" + System.currentTimeMillis())
                .build();
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            Batch.Builder batch = Batch.builder();
            for (int i = 0; i < flags; i++) {
                batch.put(Flag.killSwitch("flag-" + i).toBuilder()
                        .description("cold start flag " + i)
                        .owner("team-" + (i % 20))
                        .tags(List.of("tag" + (i % 10)))
                        .build());
                if ((i + 1) % 500 == 0 || i == flags - 1) {
                    admin.apply(batch.build(), WriteOptions.defaults());
                    batch = Batch.builder();
                }
            }
        }
        long[] sourceOnly = new long[runs];
        long[] withClient = new long[runs];
        long firstSourceOnly = 0;
        long firstWithClient = 0;
        // the first run is a service starting in a fresh JVM (the decoding code not compiled yet);
        // the median is taken after COLD_WARMUP_RUNS more, once the JIT compiled it
        for (int r = 0; r < runs + 1 + COLD_WARMUP_RUNS; r++) {
            long start = System.nanoTime();
            AtomicInteger loaded = new AtomicInteger();
            RedisFlagSource source = RedisFlagSource.builder().options(options).build();
            long[] initAt = new long[1];
            source.start(new FlagSink() {
                @Override
                public void init(FlagData data) {
                    if (data.flags().size() != flags) {
                        throw new IllegalStateException("loaded " + data.flags().size() + " flags, not " + flags);
                    }
                    initAt[0] = System.nanoTime();
                    loaded.set(data.flags().size());
                }

                @Override
                public void apply(FlagUpdate update) {}

                @Override
                public void stateChanged(SourceState state, String message) {}
            });
            while (loaded.get() == 0) {
                LockSupport.parkNanos(POLL_NANOS);
            }
            source.close();

            long clientStart = System.nanoTime();
            try (FlagClient client = FlagClient.builder()
                    .source(RedisFlagSource.builder().options(options).build())
                    .startTimeout(Duration.ofSeconds(30))
                    .build()) {
                long clientReady = System.nanoTime();
                if (client.snapshot().size() != flags) {
                    throw new IllegalStateException(
                            "client holds " + client.snapshot().size() + " flags");
                }
                if (r == 0) {
                    firstSourceOnly = initAt[0] - start;
                    firstWithClient = clientReady - clientStart;
                } else if (r > COLD_WARMUP_RUNS) {
                    sourceOnly[r - 1 - COLD_WARMUP_RUNS] = initAt[0] - start;
                    withClient[r - 1 - COLD_WARMUP_RUNS] = clientReady - clientStart;
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "cold start, %d flags, fresh JVM: source to first init %.1f ms, FlagClient.build() to ready %.1f ms%n",
                flags,
                firstSourceOnly / 1e6,
                firstWithClient / 1e6);
        System.out.printf(
                Locale.ROOT,
                "cold start, %d flags, JIT warm: source to first init %.1f ms, FlagClient.build() to ready %.1f ms"
                        + " (medians of %d runs)%n",
                flags,
                median(sourceOnly) / 1e6,
                median(withClient) / 1e6,
                runs);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
