package io.flagstore.demo;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagChangeEvent;
import io.flagstore.core.FlagClient;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A demo service showing the three patterns feature flags are for, each evaluated locally from the
 * client's in-memory snapshot:
 *
 * <ul>
 *   <li>{@value #KILL_SWITCH}: a kill switch around calls to a flaky payments provider; while off,
 *       payments are queued instead of calling it;
 *   <li>{@value #ROLLOUT}: a percentage rollout of a new checkout path, counted over {@value #USERS}
 *       simulated users;
 *   <li>{@value #OPS_FLAG}: an operational flag that pauses a background job while off.
 * </ul>
 *
 * <p>Every applied change is logged as one machine-parseable line, for example {@code APPLIED
 * service=svc-1 instance=svc-1-4711 flag=payments-api enabled=false version=7 lag_ms=1.8}, where the
 * lag is the time from the write (the flag's {@code updatedAt}) to the moment this JVM applied it.
 */
public final class DemoService implements AutoCloseable {
    /** The kill switch around the flaky dependency. */
    public static final String KILL_SWITCH = "payments-api";
    /** The percentage rollout of the new code path. */
    public static final String ROLLOUT = "new-checkout";
    /** The operational flag pausing the background job. */
    public static final String OPS_FLAG = "background-sync";
    /** How many simulated users the rollout is counted over. */
    public static final int USERS = 1000;

    private final String service;
    private final String instance;
    private final FlagClient client;
    private final PrintStream log;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-work");
        t.setDaemon(true);
        return t;
    });
    private final FlakyPayments payments = new FlakyPayments(0.2);
    private final AtomicLong charged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong jobRuns = new AtomicLong();
    // Touched only by the single work thread.
    private long requests;
    private Boolean jobRunning;
    private int lastNewPathCount = -1;

    private DemoService(String service, String instance, FlagClient client, PrintStream log) {
        this.service = service;
        this.instance = instance;
        this.client = client;
        this.log = log;
    }

    /**
     * Connects, waits for the first flag set, logs {@code READY} and starts the simulated work.
     *
     * @param service the service name shown by {@code flagctl status}
     * @param instance this instance's id
     * @param options where the flags are
     * @param log where the machine-parseable lines go
     */
    public static DemoService start(String service, String instance, RedisOptions options, PrintStream log) {
        RedisFlagSource source = RedisFlagSource.builder()
                .options(options)
                .serviceName(service)
                .instanceId(instance)
                .build();
        FlagClient client = FlagClient.builder()
                .source(source)
                .startTimeout(Duration.ofSeconds(10))
                .build();
        DemoService demo = new DemoService(service, instance, client, log);
        client.onChange(demo::applied);
        demo.line("READY", "version=" + client.health().appliedVersion());
        demo.scheduler.scheduleWithFixedDelay(demo::checkout, 0, 100, TimeUnit.MILLISECONDS);
        demo.scheduler.scheduleWithFixedDelay(demo::logRollout, 0, 1, TimeUnit.SECONDS);
        demo.scheduler.scheduleWithFixedDelay(demo::backgroundJob, 0, 500, TimeUnit.MILLISECONDS);
        demo.scheduler.scheduleWithFixedDelay(demo::status, 5, 5, TimeUnit.SECONDS);
        return demo;
    }

    /** Kill switch: call the flaky provider only while {@value #KILL_SWITCH} is on. */
    void checkout() {
        EvaluationContext user = EvaluationContext.of("user-" + (requests++ % USERS));
        if (!client.isEnabled(KILL_SWITCH, user)) {
            queued.incrementAndGet(); // the fallback: accept the order, charge later
            return;
        }
        if (payments.charge()) {
            charged.incrementAndGet();
        } else {
            failed.incrementAndGet();
        }
    }

    /** Percentage rollout: how many of the simulated users get the new code path right now. */
    int countRollout() {
        int newPath = 0;
        for (int i = 0; i < USERS; i++) {
            if (client.isEnabled(ROLLOUT, EvaluationContext.of("user-" + i))) {
                newPath++;
            }
        }
        return newPath;
    }

    private void logRollout() {
        int newPath = countRollout();
        if (newPath != lastNewPathCount) {
            lastNewPathCount = newPath;
            line("ROLLOUT", "flag=" + ROLLOUT + " users=" + USERS + " new_path=" + newPath);
        }
    }

    /** Operational flag: the job runs only while {@value #OPS_FLAG} is on. */
    void backgroundJob() {
        boolean run = client.isEnabled(OPS_FLAG, EvaluationContext.of(service));
        if (run) {
            jobRuns.incrementAndGet();
        }
        if (!Objects.equals(jobRunning, run)) {
            jobRunning = run;
            line("JOB", "flag=" + OPS_FLAG + " state=" + (run ? "running" : "paused") + " runs=" + jobRuns.get());
        }
    }

    private void status() {
        line(
                "STATUS",
                "version=" + client.health().appliedVersion() + " payments_charged=" + charged.get()
                        + " payments_failed=" + failed.get() + " payments_queued=" + queued.get() + " job_runs="
                        + jobRuns.get());
    }

    /** Logs one applied change with its lag: now (just after the apply) minus the write time. */
    private void applied(FlagChangeEvent event) {
        Instant now = Instant.now();
        Flag flag = event.newDefinition();
        if (flag == null) {
            line("APPLIED", "flag=" + event.key() + " deleted=true version=" + event.version() + " at=" + now);
            return;
        }
        String lag = flag.updatedAt() == null
                ? "unknown"
                : String.format(
                        Locale.ROOT,
                        "%.1f",
                        Duration.between(flag.updatedAt(), now).toNanos() / 1e6);
        line(
                "APPLIED",
                "flag=" + event.key() + " enabled=" + flag.enabled() + " version=" + flag.version() + " lag_ms=" + lag
                        + " at=" + now);
    }

    private void line(String event, String fields) {
        synchronized (log) {
            log.println(event + " service=" + service + " instance=" + instance + " " + fields);
            log.flush();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        client.close();
        line("STOPPED", "");
    }

    /**
     * Runs one service until SIGTERM/Ctrl-C. Arguments: {@code --service NAME} (env DEMO_SERVICE),
     * {@code --instance ID} (env DEMO_INSTANCE, default NAME-PID), {@code --redis URL} (env
     * FLAGSTORE_REDIS_URL), {@code --namespace NS} (env FLAGSTORE_NAMESPACE).
     */
    public static void main(String[] args) throws InterruptedException {
        Logger.getLogger("").setLevel(Level.WARNING);
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage("unexpected argument '" + args[i] + "'");
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0) {
            usage("option " + args[args.length - 1] + " needs a value");
        }
        String service = opts.getOrDefault("service", env("DEMO_SERVICE", "demo"));
        String instance = opts.getOrDefault(
                "instance",
                env("DEMO_INSTANCE", service + "-" + ProcessHandle.current().pid()));
        RedisOptions options = RedisOptions.builder()
                .uri(opts.getOrDefault("redis", env("FLAGSTORE_REDIS_URL", RedisOptions.DEFAULT_URI)))
                .namespace(opts.getOrDefault("namespace", env("FLAGSTORE_NAMESPACE", RedisOptions.DEFAULT_NAMESPACE)))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        DemoService demo = start(service, instance, options, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void usage(String problem) {
        System.err.println("demo-service: " + problem);
        System.err.println("usage: demo-service [--service NAME] [--instance ID] [--redis URL] [--namespace NS]");
        System.exit(2);
    }
}
