package io.flagstore.demo;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagChangeEvent;
import io.flagstore.core.FlagClient;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
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
 *       simulated users, and an A/B experiment on it: web shoppers split 50/50 convert ({@value
 *       #CONVERSION}) more often on the new checkout, and {@code flagctl experiment results} shows it;
 *   <li>{@value #OPS_FLAG}: an operational flag that pauses a background job while off.
 * </ul>
 *
 * <p>Every applied change is logged as one machine-parseable line, for example {@code APPLIED
 * service=svc-1 instance=svc-1-4711 flag=payments-api enabled=false version=7 lag_ms=1.8}, where the
 * lag is the time from the write (the flag's {@code updatedAt}) to the moment this JVM applied it.
 *
 * <p>With a metrics address, the client's, the Redis source's and basic JVM meters are served for
 * Prometheus at {@code /metrics}, tagged {@code service} (docs/dashboards.md), and the URL is logged
 * as {@code METRICS service=... instance=... url=http://127.0.0.1:PORT/metrics}.
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
    /** The outcome the experiment on {@value #ROLLOUT} is judged on (docs/experiments.md). */
    public static final String CONVERSION = "checkout.completed";
    /** How many simulated web shoppers visit the checkout (the experiment's population). */
    public static final int SHOPPERS = 20_000;
    /** Chance that a visit converts on the old checkout. */
    static final double OLD_CONVERSION = 0.10;
    /** Chance that a visit converts on the new checkout: the effect the experiment should find. */
    static final double NEW_CONVERSION = 0.15;

    private final String service;
    private final String instance;
    private final FlagClient client;
    private final PrintStream log;
    private final Metrics metrics; // null when metrics are off
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
    private final SplittableRandom shoppers = new SplittableRandom();
    // Touched only by the single work thread.
    private long requests;
    private Boolean jobRunning;
    private int lastNewPathCount = -1;

    private DemoService(String service, String instance, FlagClient client, PrintStream log, Metrics metrics) {
        this.service = service;
        this.instance = instance;
        this.client = client;
        this.log = log;
        this.metrics = metrics;
        if (metrics != null) {
            // The service's own outcome, for the dashboard to show next to the kill switch's state.
            for (Map.Entry<String, AtomicLong> outcome : Map.of("charged", charged, "failed", failed, "queued", queued)
                    .entrySet()) {
                FunctionCounter.builder("demo.payments", outcome.getValue(), AtomicLong::get)
                        .tag("outcome", outcome.getKey())
                        .description("Checkout payments: charged, failed at the flaky provider, or queued while"
                                + " the payments-api kill switch is off")
                        .register(metrics.registry());
            }
        }
    }

    /** The registry, its JVM GC binder (which holds listeners) and the HTTP endpoint serving it. */
    private record Metrics(PrometheusMeterRegistry registry, JvmGcMetrics gc, MetricsEndpoint endpoint) {
        static Metrics start(String service, InetSocketAddress address) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.config().commonTags(List.of(Tag.of("service", service)));
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            try {
                return new Metrics(registry, gc, MetricsEndpoint.start(registry, address));
            } catch (RuntimeException e) {
                gc.close();
                registry.close();
                throw e;
            }
        }

        void close() {
            endpoint.close();
            gc.close();
            registry.close();
        }
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
        return start(service, instance, options, log, null);
    }

    /**
     * Like {@link #start(String, String, RedisOptions, PrintStream)}, also serving Prometheus metrics.
     *
     * @param metricsAddress where to serve {@code /metrics} (port 0: an ephemeral port, logged), or
     *     {@code null} for no metrics
     * @throws UncheckedIOException when the metrics address cannot be bound
     */
    public static DemoService start(
            String service, String instance, RedisOptions options, PrintStream log, InetSocketAddress metricsAddress) {
        return start(service, instance, options, log, metricsAddress, null);
    }

    /**
     * Like {@link #start(String, String, RedisOptions, PrintStream, InetSocketAddress)}, signing
     * presence with the service's key.
     *
     * @param presenceKeyFile the service's presence private key ({@code flagctl trust keygen}), or
     *     {@code null} for a new key at every start
     */
    public static DemoService start(
            String service,
            String instance,
            RedisOptions options,
            PrintStream log,
            InetSocketAddress metricsAddress,
            Path presenceKeyFile) {
        RedisFlagSource.Builder source =
                RedisFlagSource.builder().options(options).serviceName(service).instanceId(instance);
        if (presenceKeyFile != null) {
            source.presenceKeyFile(presenceKeyFile);
        }
        Metrics metrics = metricsAddress == null ? null : Metrics.start(service, metricsAddress);
        FlagClient.Builder client = FlagClient.builder().startTimeout(Duration.ofSeconds(10));
        if (metrics != null) {
            client.meterRegistry(metrics.registry()); // the client hands it to the source too
        }
        DemoService demo;
        try {
            demo = new DemoService(
                    service, instance, client.source(source.build()).build(), log, metrics);
        } catch (RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
        demo.client.onChange(demo::applied);
        if (metrics != null) {
            demo.line("METRICS", "url=" + metrics.endpoint().uri());
        }
        demo.line("READY", "version=" + demo.client.health().appliedVersion());
        demo.scheduler.scheduleWithFixedDelay(demo::checkout, 0, 100, TimeUnit.MILLISECONDS);
        demo.scheduler.scheduleWithFixedDelay(demo::logRollout, 0, 1, TimeUnit.SECONDS);
        demo.scheduler.scheduleWithFixedDelay(demo::shop, 0, 50, TimeUnit.MILLISECONDS);
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

    /**
     * Experiment: twenty web shoppers visit the checkout; the flag (its {@code web-shoppers} rule, whose
     * rollout runs the experiment) picks the old or new checkout, and a visit converts more often on
     * the new one. Conversions are tracked with the order's value.
     */
    void shop() {
        for (int i = 0; i < 20; i++) {
            EvaluationContext shopper = EvaluationContext.builder("shopper-" + shoppers.nextInt(SHOPPERS))
                    .set("channel", "web")
                    .build();
            boolean newCheckout = client.isEnabled(ROLLOUT, shopper);
            if (shoppers.nextDouble() < (newCheckout ? NEW_CONVERSION : OLD_CONVERSION)) {
                client.track(CONVERSION, shopper, 20 + shoppers.nextInt(80));
            }
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

    /** Where {@code /metrics} is served, or {@code null} when metrics are off. */
    URI metricsUri() {
        return metrics == null ? null : metrics.endpoint().uri();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        client.close();
        if (metrics != null) {
            metrics.close();
        }
        line("STOPPED", "");
    }

    /**
     * Runs one service until SIGTERM/Ctrl-C. Arguments: {@code --service NAME} (env DEMO_SERVICE),
     * {@code --instance ID} (env DEMO_INSTANCE, default NAME-PID), {@code --redis URL} (env
     * FLAGSTORE_REDIS_URL), {@code --namespace NS} (env FLAGSTORE_NAMESPACE), {@code --metrics-port
     * PORT} (env METRICS_PORT; unset: no metrics, 0: an ephemeral port), {@code --metrics-host HOST}
     * (env METRICS_HOST, default 127.0.0.1; 0.0.0.0 in a container), {@code --presence-key-file FILE}
     * (env PRESENCE_KEY_FILE; unset: a new key at every start).
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
        String port = opts.getOrDefault("metrics-port", env("METRICS_PORT", null));
        InetSocketAddress metricsAddress = port == null
                ? null
                : new InetSocketAddress(
                        opts.getOrDefault("metrics-host", env("METRICS_HOST", "127.0.0.1")), metricsPort(port));
        CountDownLatch stopped = new CountDownLatch(1);
        DemoService demo;
        try {
            String keyFile = opts.getOrDefault("presence-key-file", env("PRESENCE_KEY_FILE", null));
            demo = start(
                    service, instance, options, System.out, metricsAddress, keyFile == null ? null : Path.of(keyFile));
        } catch (UncheckedIOException | IllegalArgumentException e) { // a taken port, a bad key file: no stack trace
            System.err.println("demo-service: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static int metricsPort(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage("metrics port must be a number from 0 to 65535 (0: any free port), got '" + value + "'");
        throw new AssertionError("unreachable");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void usage(String problem) {
        System.err.println("demo-service: " + problem);
        System.err.println("usage: demo-service [--service NAME] [--instance ID] [--redis URL] [--namespace NS]"
                + " [--metrics-port PORT] [--metrics-host HOST]");
        System.exit(2);
    }
}
