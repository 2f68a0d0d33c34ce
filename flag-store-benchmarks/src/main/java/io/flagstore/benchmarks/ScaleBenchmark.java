package io.flagstore.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.FlagStoreException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import io.flagstore.core.spi.UsageSink;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Fleet scale against a real Redis (not part of {@code mvn verify}): {@code
 * --flags} realistic flags ({@link ScaleFlags}) and {@code --clients} {@link FlagClient}s on
 * {@link RedisFlagSource}s in this JVM, each with its own connections as separate services would
 * have (they share Lettuce's event loops, as sources in one process do). Reports, in order:
 *
 * <ol>
 *   <li>cold start: one fresh client ready with every flag (first in the JVM, then the median of
 *       three), and {@code --clients} started together (when not all are ready within {@code
 *       --together-timeout} seconds, the fleet is started again in waves of ten for what follows);
 *   <li>heap per client and per flag: heap used after a forced full GC ({@link MemoryMXBean},
 *       repeated until stable) with no client, with one, and with all of them;
 *   <li>Redis commands per idle client per second: {@code INFO commandstats} before and after
 *       {@code --idle-seconds} with every client idle, by command;
 *   <li>an update storm: {@code --rate} single-flag writes per second for {@code --seconds}, paced
 *       by {@code --writers} threads each with its own {@link FlagAdmin}, while every client
 *       applies them: propagation latency from each write's call (start and return) to each
 *       client's snapshot holding it, the CPU the sources' updater threads spent per write, and
 *       whether every client ended holding exactly what Redis holds;
 *   <li>evaluation throughput of one thread on one client (the rules-and-rollout flag {@link
 *       ScaleFlags#TARGETED} over 1,024 contexts) idle and during the storm, in wall-clock
 *       evaluations per second and per CPU second of that thread;
 *   <li>the same storm and evaluation with only the evaluating client left, which isolates what
 *       receiving the storm costs a client in its own process.
 * </ol>
 *
 * <pre>
 * java -cp flag-store-benchmarks/target/benchmarks.jar io.flagstore.benchmarks.ScaleBenchmark \
 *     [--redis redis://127.0.0.1:6379] [--flags 10000] [--clients 100] [--rate 1000] [--seconds 30]
 *     [--idle-seconds 30] [--writers 4] [--together-timeout 120]
 * </pre>
 *
 * Without {@code --redis} it starts a {@code redis-server} from PATH on a free loopback port.
 */
public final class ScaleBenchmark {
    private static final int CONTEXTS = 1024;
    private static final long EVAL_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int WAVE = 10;

    private final String url;
    private final int flagCount;
    private final int clientCount;
    private final int rate;
    private final int seconds;
    private final int idleSeconds;
    private final int writers;
    private final int togetherTimeout;
    private final RedisOptions options;
    private final EvaluationContext[] contexts = Workload.contexts(CONTEXTS);

    private ScaleBenchmark(String url, String[] args) {
        this.url = url;
        this.flagCount = Integer.parseInt(RedisBenchmarks.option(args, "--flags", "10000"));
        this.clientCount = Integer.parseInt(RedisBenchmarks.option(args, "--clients", "100"));
        this.rate = Integer.parseInt(RedisBenchmarks.option(args, "--rate", "1000"));
        this.seconds = Integer.parseInt(RedisBenchmarks.option(args, "--seconds", "30"));
        this.idleSeconds = Integer.parseInt(RedisBenchmarks.option(args, "--idle-seconds", "30"));
        this.writers = Integer.parseInt(RedisBenchmarks.option(args, "--writers", "4"));
        this.togetherTimeout = Integer.parseInt(RedisBenchmarks.option(args, "--together-timeout", "120"));
        this.options = RedisOptions.builder()
                .uri(url)
                .namespace("bench-scale-" + System.currentTimeMillis())
                .build();
    }

    public static void main(String[] args) throws Exception {
        RedisBenchmarks.withRedis(args, url -> new ScaleBenchmark(url, args).run());
    }

    private void run() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "Redis %s, %d flags, %d clients, %d writes/s for %d s by %d writers, %d cores, Java %s, max heap %d MB%n",
                url.replaceAll("//[^@]*@", "//***@"),
                flagCount,
                clientCount,
                rate,
                seconds,
                writers,
                Runtime.getRuntime().availableProcessors(),
                Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20);
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            seed(admin);
            long heapNone = heapAfterGc();
            List<TimedClient> clients = new ArrayList<>();
            try {
                long heapOne = coldStartOne();
                clients.addAll(coldStartTogether());
                long heapAll = heapAfterGc();
                memory(heapNone, heapOne, heapAll);
                idleCommands();
                storm(admin, clients, "all " + clientCount + " clients receive the storm");
                closeAll(clients.subList(1, clients.size()));
                clients.subList(1, clients.size()).clear();
                storm(admin, clients, "only the evaluating client receives the storm (isolated)");
            } finally {
                closeAll(clients);
            }
        }
    }

    // ---- seeding --------------------------------------------------------------------------------

    private void seed(FlagAdmin admin) {
        long start = System.nanoTime();
        ScaleFlags.seed(admin, flagCount);
        System.out.printf(
                Locale.ROOT,
                "seeded %d flags and %d segments in %.1f s%n",
                flagCount,
                ScaleFlags.SEGMENTS,
                (System.nanoTime() - start) / 1e9);
    }

    // ---- cold start -----------------------------------------------------------------------------

    /** Cold start of one client, first in this JVM and then warm; returns the heap used with one client. */
    private long coldStartOne() {
        long[] warm = new long[3];
        long first = 0;
        long heapOne = 0;
        for (int r = 0; r <= warm.length; r++) {
            long start = System.nanoTime();
            TimedClient client = new TimedClient(options, "cold", Duration.ofMinutes(5));
            long ready = System.nanoTime() - start;
            client.checkSize(flagCount);
            if (r == 0) {
                first = ready;
                heapOne = heapAfterGc();
            } else {
                warm[r - 1] = ready;
            }
            client.close();
        }
        Arrays.sort(warm);
        System.out.printf(
                Locale.ROOT,
                "cold start, one client, %d flags: FlagClient.build() to ready %.0f ms in a fresh JVM,"
                        + " %.0f ms warm (median of %d)%n",
                flagCount,
                first / 1e6,
                warm[warm.length / 2] / 1e6,
                warm.length);
        return heapOne;
    }

    /**
     * Starts every client at once and reports when each was ready (giving up after {@code
     * --together-timeout} seconds). When not all made it, closes them and starts the fleet again in
     * waves of {@value #WAVE}, so the later phases still run.
     */
    private List<TimedClient> coldStartTogether() throws Exception {
        List<TimedClient> clients = startClients(clientCount, Duration.ofSeconds(togetherTimeout));
        if (clients.size() == clientCount) {
            return clients;
        }
        closeAll(clients);
        List<TimedClient> waves = new ArrayList<>();
        long start = System.nanoTime();
        while (waves.size() < clientCount) {
            waves.addAll(startClients(Math.min(WAVE, clientCount - waves.size()), Duration.ofMinutes(5)));
        }
        System.out.printf(
                Locale.ROOT,
                "cold start, %d clients in waves of %d: all ready after %.0f ms%n",
                clientCount,
                WAVE,
                (System.nanoTime() - start) / 1e6);
        return waves;
    }

    /** Starts {@code count} clients together; returns those that were ready within {@code timeout}. */
    private List<TimedClient> startClients(int count, Duration timeout) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            long start = System.nanoTime();
            List<Future<TimedClient>> futures = new ArrayList<>();
            long[] readyAt = new long[count];
            for (int c = 0; c < count; c++) {
                int index = c;
                futures.add(pool.submit(() -> {
                    TimedClient client = new TimedClient(options, "scale-" + index, timeout);
                    readyAt[index] =
                            client.client.snapshot().size() == flagCount ? System.nanoTime() - start : Long.MAX_VALUE;
                    return client;
                }));
            }
            List<TimedClient> ready = new ArrayList<>();
            List<TimedClient> late = new ArrayList<>();
            for (int c = 0; c < count; c++) {
                TimedClient client = futures.get(c).get();
                (readyAt[c] == Long.MAX_VALUE ? late : ready).add(client);
            }
            closeAll(late);
            Arrays.sort(readyAt);
            if (count > WAVE || ready.size() < count) {
                System.out.printf(
                        Locale.ROOT,
                        "cold start, %d clients started together: %d ready within %d s; first after %s,"
                                + " median %s, last %s%n",
                        count,
                        ready.size(),
                        timeout.toSeconds(),
                        millis(readyAt[0]),
                        millis(readyAt[count / 2]),
                        millis(readyAt[count - 1]));
            }
            return ready;
        } finally {
            pool.shutdown();
        }
    }

    /** Closes clients in parallel: a close waits for a full load in progress (up to the command timeout). */
    private static void closeAll(List<TimedClient> clients) throws InterruptedException {
        if (clients.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        clients.forEach(client -> pool.execute(client::close));
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
    }

    private static String millis(long nanos) {
        return nanos == Long.MAX_VALUE ? "not ready" : String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }

    // ---- memory ---------------------------------------------------------------------------------

    /** Heap used after full GCs, repeated until two readings agree within 1 % (at most 10). */
    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - previous) < previous / 100) {
                return Math.min(used, previous);
            }
            previous = used;
        }
        return previous;
    }

    private void memory(long none, long one, long all) {
        double perClient = (all - none) / (double) clientCount;
        System.out.printf(
                Locale.ROOT,
                "heap after GC: %.1f MB without clients, %.1f MB with one, %.1f MB with %d;"
                        + " per client %.2f MB = %.0f bytes per flag (all clients: (%d - none) / %d / %d);"
                        + " one client alone %.2f MB%n",
                none / 1e6,
                one / 1e6,
                all / 1e6,
                clientCount,
                perClient / 1e6,
                perClient / flagCount,
                clientCount,
                clientCount,
                flagCount,
                (one - none) / 1e6);
    }

    // ---- idle commands --------------------------------------------------------------------------

    private void idleCommands() throws InterruptedException {
        RedisClient redis = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            // let every client settle into its idle rhythm (presence and version checks)
            Thread.sleep(TimeUnit.SECONDS.toMillis(6));
            Map<String, Long> before = commandCalls(connection.sync().info("commandstats"));
            long start = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
            Map<String, Long> after = commandCalls(connection.sync().info("commandstats"));
            double elapsed = (System.nanoTime() - start) / 1e9;
            after.merge("info", -1L, Long::sum); // our own second INFO
            long total = 0;
            StringBuilder byCommand = new StringBuilder();
            for (Map.Entry<String, Long> e : after.entrySet()) {
                long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                if (delta > 0) {
                    total += delta;
                    byCommand.append(String.format(Locale.ROOT, " %s %.3f", e.getKey(), delta / elapsed / clientCount));
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "idle: %d commands in %.1f s from %d clients = %.3f commands per client per second (by command:%s)%n",
                    total,
                    elapsed,
                    clientCount,
                    total / elapsed / clientCount,
                    byCommand);
        } finally {
            redis.shutdown();
        }
    }

    /** {@code cmdstat_hset:calls=12,usec=...} lines to command to calls. */
    private static Map<String, Long> commandCalls(String info) {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String command = line.substring("cmdstat_".length(), line.indexOf(':'));
                String field = line.substring(line.indexOf("calls=") + "calls=".length());
                calls.put(command, Long.parseLong(field.substring(0, field.indexOf(','))));
            }
        }
        return calls;
    }

    // ---- storm ----------------------------------------------------------------------------------

    private void storm(FlagAdmin admin, List<TimedClient> clients, String title) throws Exception {
        System.out.println("--- " + title);
        TimedClient evaluated = clients.get(0);
        Evaluator evaluator = new Evaluator(evaluated.client);
        Thread evaluating = new Thread(evaluator, "evaluator");
        evaluating.start();
        try {
            Thread.sleep(3_000); // warm-up
            EvalRate idle = evaluator.measure(TimeUnit.SECONDS.toNanos(Math.min(seconds, 10)));

            int writes = rate * seconds;
            long first = admin.info().version() + 1;
            for (TimedClient client : clients) {
                client.record(first, writes);
            }
            long[] startedAt = new long[writes];
            long[] returnedAt = new long[writes];
            long updaterCpuBefore = updaterCpuNanos();
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long processCpuBefore = os.getProcessCpuTime();
            StormResult storm = new StormResult();
            Thread[] threads = new Thread[writers];
            AtomicLong nextWrite = new AtomicLong();
            long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            for (int w = 0; w < writers; w++) {
                threads[w] = new Thread(
                        () -> write(nextWrite, writes, t0, first, startedAt, returnedAt, storm), "storm-writer-" + w);
                threads[w].start();
            }
            LockSupport.parkNanos(Math.max(0, t0 - System.nanoTime()));
            EvalRate during = evaluator.measure(TimeUnit.SECONDS.toNanos(seconds));
            for (Thread t : threads) {
                t.join();
            }
            long stormNanos = storm.lastReturn.get() - t0;
            if (storm.failed.get() > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "storm: %d writes failed (continuing; the last: %s)%n",
                        storm.failed.get(),
                        storm.failure);
            }
            long head = admin.info().version();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (TimedClient client : clients) {
                while (client.client.snapshot().version() < head && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
            long updaterCpu = updaterCpuNanos() - updaterCpuBefore;
            long processCpu = os.getProcessCpuTime() - processCpuBefore;
            Histogram fromStart = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
            Histogram fromReturn = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
            long missing = 0;
            for (TimedClient client : clients) {
                for (int i = 0; i < writes; i++) {
                    long applied = client.appliedAt(i);
                    if (startedAt[i] == 0) {
                        continue; // a write that failed, or whose reply was lost
                    } else if (applied == 0) {
                        missing++;
                    } else {
                        fromStart.recordValue(Math.max(0, applied - startedAt[i]) / 1_000);
                        fromReturn.recordValue(Math.max(0, applied - returnedAt[i]) / 1_000);
                    }
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "storm: %d writes in %.2f s = %.0f writes/s (target %d); a write call took p50 %.2f ms, max %.1f ms%n",
                    writes,
                    stormNanos / 1e9,
                    writes / (stormNanos / 1e9),
                    rate,
                    storm.callMicros.getValueAtPercentile(50) / 1000.0,
                    storm.callMicros.getMaxValue() / 1000.0);
            RedisBenchmarks.printLatency("propagation from the write call starting ", fromStart);
            RedisBenchmarks.printLatency("propagation from the write call returning", fromReturn);
            System.out.printf(
                    Locale.ROOT,
                    "CPU during the storm: sources' updater threads %.1f µs per write per client;"
                            + " whole JVM %.2f cores (of %d)%n",
                    updaterCpu / 1e3 / writes / clients.size(),
                    processCpu / (double) stormNanos,
                    Runtime.getRuntime().availableProcessors());
            converged(admin, clients, missing);
            System.out.printf(
                    Locale.ROOT,
                    "evaluation (%s, one thread, client 0): idle %.2f M/s (%.2f M per CPU-s), during the storm %.2f M/s"
                            + " (%.2f M per CPU-s): wall-clock drop %.1f %%, per-CPU-second drop %.1f %%;"
                            + " storm windows min %.2f M/s%n",
                    ScaleFlags.TARGETED,
                    idle.perSecond / 1e6,
                    idle.perCpuSecond / 1e6,
                    during.perSecond / 1e6,
                    during.perCpuSecond / 1e6,
                    100 * (1 - during.perSecond / idle.perSecond),
                    100 * (1 - during.perCpuSecond / idle.perCpuSecond),
                    during.minWindow / 1e6);
        } finally {
            evaluator.stop.set(true);
            evaluating.join();
        }
    }

    private static final class StormResult {
        final Histogram callMicros = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
        final AtomicLong lastReturn = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        volatile Exception failure;
    }

    /** One writer: takes the next write, waits for its due time, writes, records when. */
    private void write(
            AtomicLong nextWrite,
            int writes,
            long t0,
            long first,
            long[] startedAt,
            long[] returnedAt,
            StormResult result) {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        SplittableRandom random =
                new SplittableRandom(Thread.currentThread().getName().hashCode());
        Histogram calls = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            for (long n = nextWrite.getAndIncrement(); n < writes; n = nextWrite.getAndIncrement()) {
                long due = t0 + n * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int i = random.nextInt(flagCount);
                long start = System.nanoTime();
                long version;
                try {
                    version = admin.update(ScaleFlags.flag(i, 1 + (int) (n % 1000)))
                            .version();
                } catch (FlagStoreException e) {
                    result.failed.incrementAndGet();
                    result.failure = e;
                    continue;
                }
                long returned = System.nanoTime();
                int index = (int) (version - first);
                if (index < 0 || index >= writes) {
                    throw new IllegalStateException("someone else writes to " + options.namespace());
                }
                startedAt[index] = start;
                returnedAt[index] = returned;
                calls.recordValue((returned - start) / 1_000);
                result.lastReturn.accumulateAndGet(returned, Math::max);
            }
        }
        synchronized (result.callMicros) {
            result.callMicros.add(calls);
        }
    }

    /** Every client holds Redis's version, and each flag at the version Redis has for it. */
    private void converged(FlagAdmin admin, List<TimedClient> clients, long missing) {
        long head = admin.info().version();
        Map<String, Long> versions = new HashMap<>();
        admin.list().forEach(f -> versions.put(f.key(), f.version()));
        int behind = 0;
        int different = 0;
        for (TimedClient client : clients) {
            if (client.client.snapshot().version() != head) {
                behind++;
            }
            Map<String, Flag> held = client.client.snapshot().flags();
            if (held.size() != versions.size()
                    || versions.entrySet().stream()
                            .anyMatch(e -> held.get(e.getKey()) == null
                                    || held.get(e.getKey()).version() != e.getValue())) {
                different++;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "convergence (60 s at most): Redis at version %d; %d of %d clients at another version,"
                        + " %d holding a flag set that differs from Redis's; %d (client, write) pairs never seen%n",
                head,
                behind,
                clients.size(),
                different,
                missing);
    }

    private static long updaterCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("flagstore-source-")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                total += Math.max(0, cpu);
            }
        }
        return total;
    }

    // ---- evaluation -----------------------------------------------------------------------------

    private record EvalRate(double perSecond, double perCpuSecond, double minWindow) {}

    /**
     * Evaluates {@link ScaleFlags#TARGETED} in a loop and counts, in windows of {@value
     * #EVAL_WINDOW_NANOS} ns, evaluations and the thread's CPU time.
     */
    private final class Evaluator implements Runnable {
        private final FlagClient client;
        final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong done = new AtomicLong();
        private volatile long cpu;
        private volatile long served; // read by nobody: keeps the evaluations from being optimised away

        Evaluator(FlagClient client) {
            this.client = client;
        }

        @Override
        public void run() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            int next = 0;
            long on = 0;
            while (!stop.get()) {
                for (int i = 0; i < 10_000; i++) {
                    on += client.boolValue(ScaleFlags.TARGETED, contexts[next++ & (CONTEXTS - 1)], false) ? 1 : 0;
                }
                served = on;
                done.addAndGet(10_000);
                cpu = threads.getCurrentThreadCpuTime();
            }
        }

        EvalRate measure(long nanos) {
            long start = System.nanoTime();
            long startOps = done.get();
            long startCpu = cpu;
            double min = Double.MAX_VALUE;
            long windowStart = start;
            long windowOps = startOps;
            while (System.nanoTime() - start < nanos) {
                LockSupport.parkNanos(EVAL_WINDOW_NANOS);
                long now = System.nanoTime();
                long ops = done.get();
                min = Math.min(min, (ops - windowOps) / ((now - windowStart) / 1e9));
                windowStart = now;
                windowOps = ops;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long ops = done.get() - startOps;
            return new EvalRate(ops / elapsed, ops / ((cpu - startCpu) / 1e9), min);
        }
    }

    // ---- clients --------------------------------------------------------------------------------

    /**
     * A {@link FlagClient} on a {@link RedisFlagSource} whose deliveries are timed: after the client
     * installed a delivery, every recorded version it covers is marked applied at that moment.
     */
    private static final class TimedClient implements AutoCloseable {
        final FlagClient client;
        private volatile Recording recording = new Recording(Long.MAX_VALUE, new long[0]);
        private long delivered; // the highest version delivered so far; sink thread only

        private record Recording(long first, long[] appliedAt) {}

        TimedClient(RedisOptions options, String service, Duration startTimeout) {
            RedisFlagSource source = RedisFlagSource.builder()
                    .options(options)
                    .serviceName(service)
                    .build();
            this.client = FlagClient.builder()
                    .source(new TimedSource(source))
                    .startTimeout(startTimeout)
                    .build();
        }

        void checkSize(int flags) {
            if (client.snapshot().size() != flags) {
                throw new IllegalStateException(
                        "client holds " + client.snapshot().size() + " flags, not " + flags);
            }
        }

        /** Starts timing versions {@code from} to {@code from + count - 1} (no write may be in flight). */
        void record(long from, int count) {
            recording = new Recording(from, new long[count]);
        }

        long appliedAt(int index) {
            return recording.appliedAt[index];
        }

        private void mark(long version) {
            long now = System.nanoTime();
            Recording r = recording;
            for (long v = Math.max(delivered + 1, r.first); v <= version && v - r.first < r.appliedAt.length; v++) {
                r.appliedAt[(int) (v - r.first)] = now;
            }
            delivered = Math.max(delivered, version);
        }

        @Override
        public void close() {
            client.close();
        }

        /** The Redis source, with every delivery marked after the client took it; keeps usage recording on. */
        private final class TimedSource implements FlagSource, UsageSink {
            private final RedisFlagSource source;

            TimedSource(RedisFlagSource source) {
                this.source = source;
            }

            @Override
            public void start(FlagSink sink) {
                source.start(new FlagSink() {
                    @Override
                    public void init(FlagData data) {
                        sink.init(data);
                        mark(data.version());
                    }

                    @Override
                    public void apply(FlagUpdate update) {
                        sink.apply(update);
                        mark(update.version());
                    }

                    @Override
                    public void stateChanged(SourceState state, String message) {
                        sink.stateChanged(state, message);
                    }
                });
            }

            @Override
            public void flagsEvaluated(Set<String> keys, Instant at) {
                source.flagsEvaluated(keys, at);
            }

            @Override
            public void close() {
                source.close();
            }
        }
    }
}
