package io.flagstore.benchmarks;

import io.flagstore.core.FlagClient;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A fleet starting at once, as production has it: {@code --clients} clients spread over {@code
 * --jvms} processes, each client a {@link FlagClient} on its own {@code RedisFlagSource}, all
 * started together against one namespace of {@code --flags} {@code ScaleFlags} flags. Each process
 * starts its JVM and loads its classes first, then waits for the signal to go, so the figure is the
 * services' start, not the JVMs'. Reported: when the first, median and last client was ready (it
 * holds every flag), from the signal; and the full loads the sources made beyond one each (a load
 * that timed out or failed is retried, so a fleet whose loads all went through in one piece shows 0).
 *
 * <pre>
 * java -cp flag-store-benchmarks/target/benchmarks.jar io.flagstore.benchmarks.FleetStartBenchmark \
 *     [--redis redis://127.0.0.1:6379] [--flags 10000] [--clients 100] [--jvms 4]
 * </pre>
 *
 * Without {@code --redis} it starts a {@code redis-server} from PATH on a free loopback port.
 */
public final class FleetStartBenchmark {
    private static final String READY = "prepared";
    private static final String GO = "go";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private FleetStartBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            return;
        }
        int flags = Integer.parseInt(RedisBenchmarks.option(args, "--flags", "10000"));
        int clients = Integer.parseInt(RedisBenchmarks.option(args, "--clients", "100"));
        int jvms = Integer.parseInt(RedisBenchmarks.option(args, "--jvms", "4"));
        RedisBenchmarks.withRedis(args, url -> parent(url, flags, clients, jvms));
    }

    private static void parent(String url, int flags, int clients, int jvms) throws Exception {
        String namespace = "bench-fleet-" + System.currentTimeMillis();
        try (FlagAdmin admin = FlagAdmin.connect(
                RedisOptions.builder().uri(url).namespace(namespace).build())) {
            ScaleFlags.seed(admin, flags);
        }
        System.out.printf(
                Locale.ROOT,
                "%d flags, %d clients over %d JVMs, %d cores, Java %s%n",
                flags,
                clients,
                jvms,
                Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        for (int j = 0; j < jvms; j++) {
            int share = clients / jvms + (j < clients % jvms ? 1 : 0);
            Process process = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            FleetStartBenchmark.class.getName(),
                            "--child",
                            url,
                            namespace,
                            Integer.toString(share),
                            Integer.toString(flags))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            processes.add(process);
            outputs.add(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
        }
        try {
            for (BufferedReader out : outputs) {
                expect(out, READY);
            }
            for (Process process : processes) {
                OutputStream in = process.getOutputStream();
                in.write((GO + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            List<Long> readyMillis = new ArrayList<>();
            long extraLoads = 0;
            for (BufferedReader out : outputs) {
                // "<ready ms>,<ready ms>,... <extra full loads>"
                String[] line = expect(out, "").trim().split(" ");
                Arrays.stream(line[0].split(",")).map(Long::parseLong).forEach(readyMillis::add);
                extraLoads += Long.parseLong(line[1]);
            }
            readyMillis.sort(null);
            long notReady = readyMillis.stream().filter(ms -> ms < 0).count();
            List<Long> ready = readyMillis.stream().filter(ms -> ms >= 0).toList();
            System.out.printf(
                    Locale.ROOT,
                    "fleet start: %d of %d clients ready; first after %d ms, median %d ms, last %d ms;"
                            + " full loads beyond one per client: %d%n",
                    ready.size(),
                    clients,
                    ready.get(0),
                    ready.get(ready.size() / 2),
                    ready.get(ready.size() - 1),
                    extraLoads);
            if (notReady > 0) {
                System.out.printf(Locale.ROOT, "%d clients not ready within %s%n", notReady, START_TIMEOUT);
            }
        } finally {
            for (Process process : processes) {
                process.getOutputStream().close();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** The next line of {@code out} that starts with {@code prefix}. */
    private static String expect(BufferedReader out, String prefix) throws Exception {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(prefix) && !line.isBlank()) {
                return line;
            }
        }
        throw new IllegalStateException("a fleet process ended early");
    }

    /** One process: {@code count} clients, started at once when the parent says go. */
    private static void child(String url, String namespace, int count, int flags) throws Exception {
        RedisOptions options =
                RedisOptions.builder().uri(url).namespace(namespace).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ExecutorService pool = Executors.newFixedThreadPool(count);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println(READY);
        System.out.flush();
        if (!GO.equals(in.readLine())) {
            return;
        }
        long start = System.nanoTime();
        List<Future<FlagClient>> futures = new ArrayList<>();
        long[] readyMillis = new long[count];
        for (int c = 0; c < count; c++) {
            int index = c;
            futures.add(pool.submit(() -> {
                FlagClient client = FlagClient.builder()
                        .source(RedisFlagSource.builder()
                                .options(options)
                                .meterRegistry(registry)
                                .build())
                        .startTimeout(START_TIMEOUT)
                        .build();
                readyMillis[index] = client.snapshot().size() == flags
                        ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                        : -1;
                return client;
            }));
        }
        List<FlagClient> clients = new ArrayList<>();
        for (Future<FlagClient> future : futures) {
            clients.add(future.get());
        }
        double loads = registry.find("flagstore.source.full.reloads").counters().stream()
                .mapToDouble(counter -> counter.count())
                .sum();
        StringBuilder line = new StringBuilder();
        for (long ms : readyMillis) {
            line.append(line.length() == 0 ? "" : ",").append(ms);
        }
        System.out.println(line + " " + Math.max(0, (long) loads - count));
        System.out.flush();
        clients.forEach(FlagClient::close);
        pool.shutdown();
    }
}
