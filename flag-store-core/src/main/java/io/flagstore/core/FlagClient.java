package io.flagstore.core;

import io.flagstore.core.internal.CompiledSnapshot;
import io.flagstore.core.metrics.FlagStoreMetrics;
import io.flagstore.core.metrics.MeteredSource;
import io.flagstore.core.metrics.MetricsOptions;
import io.flagstore.core.spi.ExperimentSink;
import io.flagstore.core.spi.ExposureSink;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.core.spi.UsageSink;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Evaluates feature flags locally, in nanoseconds, against the flag set its {@link FlagSource}
 * keeps current. One client per source and process; share it.
 *
 * <pre>{@code
 * FlagClient flags = FlagClient.builder()
 *         .source(FileFlagSource.of(Path.of("flags.json")))
 *         .build();
 * EvaluationContext ctx = EvaluationContext.of(userId);
 * if (flags.isEnabled("new-checkout", ctx)) { ... }
 * }</pre>
 *
 * <p><b>Evaluation never throws.</b> When a value cannot be served the getters return the caller's
 * default, and the {@code …Detail} variants say why ({@link Reason#ERROR} with an {@link
 * ErrorKind}): a missing flag ({@code FLAG_NOT_FOUND}, or {@code NOT_READY} before the first flag
 * set arrived), a flag of another type than asked ({@code TYPE_MISMATCH}, also for a JSON value
 * that does not convert or a non-integral number asked as {@code int}), a broken definition
 * ({@code MALFORMED_FLAG}), a {@code null} key ({@code FLAG_NOT_FOUND}) or a {@code null} context
 * ({@code GENERAL}). Every getter is a shorthand for the same call on {@link #snapshot()}; to
 * evaluate several flags consistently within one request, take one snapshot and use it.
 *
 * <p>Thread-safe. The flag set is one immutable snapshot, replaced atomically as the source
 * delivers changes; readers never lock. {@link #close()} closes the source; evaluations after it
 * keep serving the last flag set.
 */
public final class FlagClient implements AutoCloseable {
    /** Default of {@link Builder#startTimeout(Duration)}. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(5);
    /** Default of {@link Builder#experimentFlushInterval(Duration)}. */
    public static final Duration DEFAULT_EXPERIMENT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    /** Default of {@link Builder#exposureCacheSize(int)}. */
    public static final int DEFAULT_EXPOSURE_CACHE_SIZE = 1 << 16;

    private static final System.Logger LOG = System.getLogger(FlagClient.class.getName());

    private final FlagSource source;
    private final ListenerDispatcher<FlagChangeEvent> listeners;
    private final ListenerDispatcher<ClientHealth> stateListeners;
    private final ExecutorService ownedExecutor; // the default listener pool, shut down on close
    private final UsageReporter usage; // null unless the source is a UsageSink
    private final ExperimentRecorder experiments; // null when no sink or registry takes them
    private FlagStoreMetrics metrics; // set once by the builder; its gauges are removed on close
    private final ClientSink sink;
    /** The one reference readers follow; written only by the sink, under its lock. */
    private volatile FlagSnapshot current;

    private FlagClient(Builder builder, Executor executor, ExecutorService ownedExecutor) {
        this.source = builder.source;
        this.ownedExecutor = ownedExecutor;
        this.listeners = new ListenerDispatcher<>(executor, "flag change listener");
        this.stateListeners = new ListenerDispatcher<>(executor, "client state listener");
        EvaluationMeters meters = builder.meterRegistry == null
                ? null
                : new EvaluationMeters(builder.meterRegistry, builder.metricsOptions);
        LocalOverrides overrides = builder.overrides == null || builder.overrides.isEmpty() ? null : builder.overrides;
        this.usage = builder.source instanceof UsageSink usageSink && builder.metricsOptions.recordsUsage()
                ? new UsageReporter(usageSink, builder.metricsOptions.usageInterval(), builder.clock)
                : null;
        List<ExposureSink> exposureSinks = new ArrayList<>();
        if (builder.source instanceof ExposureSink sourceSink) {
            exposureSinks.add(sourceSink);
        }
        exposureSinks.addAll(builder.exposureSinks);
        this.experiments = exposureSinks.isEmpty() && builder.meterRegistry == null
                ? null
                : new ExperimentRecorder(
                        exposureSinks,
                        builder.clock,
                        builder.meterRegistry == null
                                ? null
                                : new ExperimentMeters(builder.meterRegistry, builder.metricsOptions),
                        builder.experimentFlushInterval,
                        builder.exposureCacheSize);
        this.current = new FlagSnapshot(
                CompiledSnapshot.empty(),
                false,
                overrides,
                meters,
                usage == null ? null : usage.tracker(),
                experiments);
        this.sink =
                new ClientSink(source, builder.clock, listeners, stateListeners, () -> current, next -> current = next);
    }

    /** A builder; {@link Builder#source(FlagSource)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The current flag set: evaluate several flags against it for one consistent answer. */
    public FlagSnapshot snapshot() {
        return current;
    }

    /**
     * The value of a boolean flag for {@code context}, or {@code defaultValue} when it cannot be
     * served. The hot path: no allocation, no lock.
     */
    public boolean boolValue(String key, EvaluationContext context, boolean defaultValue) {
        return current.boolValue(key, context, defaultValue);
    }

    /** Shorthand for {@code boolValue(key, context, false)}. */
    public boolean isEnabled(String key, EvaluationContext context) {
        return current.boolValue(key, context, false);
    }

    /** The value of a string flag, or {@code defaultValue} (may be {@code null}) when it cannot be served. */
    public String stringValue(String key, EvaluationContext context, String defaultValue) {
        return current.stringValue(key, context, defaultValue);
    }

    /** The value of a number flag, or {@code defaultValue} when it cannot be served. */
    public double numberValue(String key, EvaluationContext context, double defaultValue) {
        return current.numberValue(key, context, defaultValue);
    }

    /** The value of an integral number flag (see {@link FlagSnapshot#intValue}). */
    public int intValue(String key, EvaluationContext context, int defaultValue) {
        return current.intValue(key, context, defaultValue);
    }

    /** The value of a flag converted to {@code type} with Jackson (see {@link FlagSnapshot#jsonValue}). */
    public <T> T jsonValue(String key, EvaluationContext context, Class<T> type, T defaultValue) {
        return current.jsonValue(key, context, type, defaultValue);
    }

    /** Like {@link #boolValue}, with the variant, reason and matched rule. */
    public EvaluationDetail<Boolean> boolDetail(String key, EvaluationContext context, boolean defaultValue) {
        return current.boolDetail(key, context, defaultValue);
    }

    /** Like {@link #stringValue}, with the variant, reason and matched rule. */
    public EvaluationDetail<String> stringDetail(String key, EvaluationContext context, String defaultValue) {
        return current.stringDetail(key, context, defaultValue);
    }

    /** Like {@link #numberValue}, with the variant, reason and matched rule. */
    public EvaluationDetail<Double> numberDetail(String key, EvaluationContext context, double defaultValue) {
        return current.numberDetail(key, context, defaultValue);
    }

    /** Like {@link #jsonValue}, with the variant, reason and matched rule. */
    public <T> EvaluationDetail<T> jsonDetail(String key, EvaluationContext context, Class<T> type, T defaultValue) {
        return current.jsonDetail(key, context, type, defaultValue);
    }

    /**
     * Records outcome {@code metric} (such as {@code "checkout.completed"}) of {@code context}: a
     * conversion in every running experiment judged on that metric whose rollout serves the context,
     * attributed to the variant the experiment assigns it (docs/experiments.md). The assignment is
     * computed, not looked up, so it needs the same context attributes the flag buckets by. Cheap on
     * the caller's thread (an evaluation per such experiment and a queue offer); the outcome reaches
     * the sinks with the next flush.
     *
     * <p>Never throws: a {@code null} metric or context is ignored; so is everything when no
     * experiment sink or meter registry is configured.
     */
    public void track(String metric, EvaluationContext context) {
        if (metric != null && context != null) {
            current.track(metric, context, null);
        }
    }

    /**
     * Like {@link #track(String, EvaluationContext)}, with a value (such as the order's revenue) that
     * is summed per variant. A value that is not finite is ignored, as the call is.
     */
    public void track(String metric, EvaluationContext context, double value) {
        if (metric != null && context != null && Double.isFinite(value)) {
            current.track(metric, context, value);
        }
    }

    /**
     * Calls {@code listener} after any flag's definition changed. See {@link FlagChangeListener} for
     * threading and failure isolation.
     *
     * @return closing it removes the listener
     */
    public ListenerRegistration onChange(FlagChangeListener listener) {
        Objects.requireNonNull(listener, "listener");
        return listeners.add(event -> true, listener::onChange, listener);
    }

    /** Calls {@code listener} after the definition of flag {@code key} changed. */
    public ListenerRegistration onChange(String key, FlagChangeListener listener) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(listener, "listener");
        return listeners.add(event -> key.equals(event.key()), listener::onChange, listener);
    }

    /**
     * Calls {@code listener} after every transition of {@link #health()}'s state, in order; a client
     * that is already closed delivers nothing. To know the state at registration too, read {@link
     * #health()} after registering: a transition racing with it is then either seen there or
     * delivered.
     *
     * @return closing it removes the listener
     */
    public ListenerRegistration onStateChange(ClientStateListener listener) {
        Objects.requireNonNull(listener, "listener");
        return stateListeners.add(health -> true, listener::onStateChange, listener);
    }

    /** The client's state, applied version and freshness, for health checks. */
    public ClientHealth health() {
        return sink.health();
    }

    /**
     * Closes the source and the default listener executor and removes every listener (state
     * listeners hear CLOSED first). The last flag set keeps being served. Idempotent.
     */
    @Override
    public void close() {
        if (!sink.close()) {
            return;
        }
        try {
            if (usage != null) {
                usage.close(); // before the source closes, so the last interval's usage is written
            }
            if (experiments != null) {
                experiments.close(); // likewise for the last exposures and outcomes
            }
            source.close();
        } finally {
            listeners.clear();
            if (metrics != null) {
                metrics.close();
            }
            if (ownedExecutor != null) {
                ownedExecutor.shutdown();
            }
        }
    }

    @Override
    public String toString() {
        return "FlagClient[" + source + ", " + health().state() + ", version " + current.version() + "]";
    }

    /** Builder for {@link FlagClient}; not thread-safe. */
    public static final class Builder {
        private FlagSource source;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Executor listenerExecutor;
        private MeterRegistry meterRegistry;
        private MetricsOptions metricsOptions = MetricsOptions.defaults();
        private LocalOverrides overrides;
        private Clock clock = Clock.systemUTC();
        private final List<ExposureSink> exposureSinks = new ArrayList<>();
        private Duration experimentFlushInterval = DEFAULT_EXPERIMENT_FLUSH_INTERVAL;
        private int exposureCacheSize = DEFAULT_EXPOSURE_CACHE_SIZE;
        private boolean failFast;

        private Builder() {}

        /** Where the flags come from (required). The client starts it and closes it. */
        public Builder source(FlagSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * How long {@link #build()} waits for the first flag set (default 5 s). When it does not
         * arrive in time, {@code build()} returns anyway: evaluations serve defaults ({@link
         * ErrorKind#NOT_READY}) and the state stays {@link ClientState#INITIALIZING} until it does.
         * Zero does not wait.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder startTimeout(Duration startTimeout) {
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (startTimeout.isNegative()) {
                throw new IllegalArgumentException("startTimeout must not be negative, was " + startTimeout);
            }
            this.startTimeout = startTimeout;
            return this;
        }

        /**
         * Where change listeners run (default: a cached pool of daemon threads owned by the client).
         * Each listener is one task at a time on it, so give it a thread per listener that may be
         * slow if listeners must not delay each other. A supplied executor is not shut down by the
         * client.
         */
        public Builder listenerExecutor(Executor listenerExecutor) {
            this.listenerExecutor = Objects.requireNonNull(listenerExecutor, "listenerExecutor");
            return this;
        }

        /**
         * Whether {@link #build()} fails when no flag set arrives within the {@link #startTimeout
         * start timeout} (default {@code false}: it returns a client serving defaults until the flags
         * arrive). For a service that must not start without its flags, such as one whose kill
         * switches fail closed; a source with a backup file still starts it while the store is down.
         */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /**
         * Records metrics (docs/metrics.md) on {@code registry}; off when never called. A source that
         * records meters of its own ({@link io.flagstore.core.metrics.MeteredSource}, such as the Redis
         * source) gets the same registry, unless it was given one.
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        /**
         * Cardinality and tag options of the metrics, and whether usage is recorded for {@code flagctl
         * stale} (default {@link MetricsOptions#defaults()}: usage recorded every 60 s on a source
         * that takes it). Used with or without {@link #meterRegistry}.
         */
        public Builder metricsOptions(MetricsOptions metricsOptions) {
            this.metricsOptions = Objects.requireNonNull(metricsOptions, "metricsOptions");
            return this;
        }

        /** Local values that win over the source, for development; off unless set. */
        public Builder overrides(LocalOverrides overrides) {
            this.overrides = Objects.requireNonNull(overrides, "overrides");
            return this;
        }

        /**
         * Adds a sink for the exposures of running experiments (docs/experiments.md); one that is an
         * {@link ExperimentSink} also receives outcomes. A source that is an {@link ExposureSink}
         * (the Redis source counts exposures and outcomes) is used without being added.
         */
        public Builder exposureSink(ExposureSink sink) {
            exposureSinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /**
         * How often exposures and outcomes are handed to the sinks, and which experiments are
         * running is re-checked against the clock; default 1 s.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder experimentFlushInterval(Duration interval) {
            Objects.requireNonNull(interval, "experimentFlushInterval");
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("experimentFlushInterval must be positive, was " + interval);
            }
            this.experimentFlushInterval = interval;
            return this;
        }

        /**
         * How many (experiment, variant, unit) exposures the client remembers, so that one already
         * reported is not reported again (rounded up to a power of two; default 65,536, about 1 MiB
         * with typical keys). A forgotten one is reported again, which the Redis counts absorb.
         *
         * @throws IllegalArgumentException if not between 2 and 2^26
         */
        public Builder exposureCacheSize(int size) {
            if (size < 2 || size > 1 << 26) {
                throw new IllegalArgumentException("exposureCacheSize must be between 2 and 2^26, was " + size);
            }
            this.exposureCacheSize = size;
            return this;
        }

        /** The clock for health times and experiment start and stop (default the system UTC clock); for tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Starts the source and waits up to the start timeout for the first flag set.
         *
         * @throws IllegalStateException if no source was set
         * @throws StartTimeoutException with {@link #failFast(boolean) failFast}, when no flag set
         *     arrived in time (the client is closed)
         * @throws RuntimeException what the source's {@code start} threw (the client is closed)
         */
        public FlagClient build() {
            if (source == null) {
                throw new IllegalStateException("FlagClient needs a source: call source(...) before build()");
            }
            ExecutorService owned = listenerExecutor == null ? newListenerPool() : null;
            FlagClient client = new FlagClient(this, listenerExecutor == null ? owned : listenerExecutor, owned);
            if (meterRegistry != null && source instanceof MeteredSource metered) {
                metered.bindMeters(meterRegistry);
            }
            try {
                source.start(client.sink);
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
            if (!client.sink.awaitFirstFlagSet(startTimeout)) {
                String late = "flag source " + source + " delivered no flags within " + startTimeout;
                if (failFast) {
                    String detail = client.health().message();
                    client.close();
                    throw new StartTimeoutException(
                            late + (detail == null ? "" : " (last reported: " + detail + ")"), startTimeout);
                }
                LOG.log(Level.WARNING, late + "; serving defaults until it does");
            }
            if (meterRegistry != null) {
                // after the first flag set (if it came), so per-flag gauges exist when build() returns
                client.metrics = new FlagStoreMetrics(client, metricsOptions);
                client.metrics.bindTo(meterRegistry);
            }
            return client;
        }

        private static ExecutorService newListenerPool() {
            AtomicInteger threads = new AtomicInteger();
            return new ThreadPoolExecutor(
                    0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
                        Thread thread = new Thread(task, "flagstore-listener-" + threads.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
        }
    }
}
