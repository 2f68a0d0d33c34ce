package io.flagstore.redis;

import io.flagstore.core.metrics.MeteredSource;
import io.flagstore.core.spi.ExperimentSink;
import io.flagstore.core.spi.Exposure;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.core.spi.Outcome;
import io.flagstore.core.spi.UsageSink;
import io.flagstore.redis.internal.ExperimentWriter;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.internal.PresenceSigner;
import io.flagstore.redis.internal.SourceLoop;
import io.flagstore.redis.internal.SourceSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link FlagSource} that reads one namespace from Redis and keeps a client up to date through
 * pub/sub, with catch-up that cannot be fooled: subscribe first, then load; take each write from Redis
 * (the namespace's audit stream, confirmed by a read, or a read a change message asked for: a message
 * itself is never applied); catch up on a gap, after every reconnect, and when the periodic version check (every
 * {@link Builder#reconcileInterval(Duration)}) finds the namespace moved. While Redis is unreachable
 * the client keeps its snapshot and is told {@code STALE}; if Redis loses the namespace, {@code
 * NAMESPACE_RESET} (see docs/operations.md, "Data loss and recovery").
 *
 * <pre>{@code
 * FlagClient flags = FlagClient.builder()
 *         .source(RedisFlagSource.builder()
 *                 .options(RedisOptions.builder().uri("redis://redis:6379").namespace("prod").build())
 *                 .serviceName("checkout")
 *                 .backupFile(Path.of("/var/lib/checkout/flags-backup.json"))
 *                 .build())
 *         .build();
 * }</pre>
 *
 * <p>One dedicated daemon thread ({@code flagstore-source-<namespace>}) does all Redis work and all
 * sink calls; three Redis connections (one subscribed, one following the audit stream, one for reads and presence). Each instance
 * registers itself in the namespace's {@code clients} hash (service, instance, host, applied
 * version and epoch, heartbeat and its interval, the digest of its flags) and marks its entry closed on
 * {@link #close()}. Metrics {@code flagstore.source.*} go to the {@link Builder#meterRegistry(MeterRegistry)
 * registry} given, else to the registry of the {@code FlagClient} that starts it (docs/metrics.md).
 *
 * <p>As an {@link ExperimentSink} it counts the exposures and outcomes of experiments into the
 * namespace's {@code exp:} keys (docs/experiments.md), on a third connection opened at the first
 * batch.
 *
 * <p>Thread-safe. Started once, by one client.
 */
public final class RedisFlagSource implements FlagSource, UsageSink, MeteredSource, ExperimentSink {
    /** Default {@link Builder#reconcileInterval(Duration)}: 5 s. */
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(5);
    /** Default {@link Builder#heartbeatInterval(Duration)}: 5 s. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    /** Default {@link Builder#serviceName(String)}. */
    public static final String DEFAULT_SERVICE_NAME = "unnamed-service";

    private final RedisOptions options;
    private final String serviceName;
    private final String instanceId;
    private final Duration reconcileInterval;
    private final Duration heartbeatInterval;
    private final PresenceSigner presenceSigner;
    private final Path backupFile;
    private volatile MeterRegistry meterRegistry; // the builder's, else the client's
    private final int loadPageSize;
    private final AtomicReference<Object> loop = new AtomicReference<>();
    private final ExperimentWriter experiments;

    private static final Object CLOSED = new Object();

    private RedisFlagSource(Builder b) {
        this.options = b.options;
        this.serviceName = b.serviceName;
        this.instanceId = b.instanceId != null
                ? b.instanceId
                : serviceName + "-"
                        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
        this.reconcileInterval = b.reconcileInterval;
        this.heartbeatInterval = b.heartbeatInterval;
        this.presenceSigner = b.presenceSigner;
        this.backupFile = b.backupFile;
        this.meterRegistry = b.meterRegistry;
        this.loadPageSize = b.loadPageSize;
        this.experiments = new ExperimentWriter(options);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The id this instance registers under in the namespace's {@code clients} hash. */
    public String instanceId() {
        return instanceId;
    }

    /**
     * Starts the updater thread and returns at once; the first {@link FlagSink#init} follows when the
     * namespace is loaded (or the backup file is read because Redis is unreachable).
     *
     * @throws IllegalStateException when already started or closed
     */
    @Override
    public void start(FlagSink sink) {
        Objects.requireNonNull(sink, "sink");
        SourceLoop created = new SourceLoop(
                new SourceSettings(
                        options,
                        serviceName,
                        instanceId,
                        reconcileInterval,
                        heartbeatInterval,
                        presenceSigner != null ? presenceSigner : PresenceSigner.generate(),
                        backupFile,
                        meterRegistry,
                        loadPageSize),
                sink);
        if (!loop.compareAndSet(null, created)) {
            throw new IllegalStateException("RedisFlagSource " + instanceId + " was already started or closed");
        }
        created.start();
    }

    /** Uses the client's registry for the {@code flagstore.source.*} meters unless the builder set one. */
    @Override
    public void bindMeters(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (meterRegistry == null) {
            meterRegistry = registry;
        }
    }

    /**
     * Stops the updater thread, marks this instance's presence entry closed, unsubscribes and closes the
     * connections; writes the backup file one last time if changes are pending. Idempotent.
     */
    @Override
    public void close() {
        Object previous = loop.getAndSet(CLOSED);
        if (previous instanceof SourceLoop running) {
            running.close();
        }
        experiments.close();
    }

    /**
     * Counts exposures: {@code PFADD} of their units into the (flag, run, variant, day)
     * HyperLogLogs, pipelined, on the calling thread (the client's experiment thread).
     *
     * @throws io.flagstore.core.StoreUnavailableException when Redis cannot be reached or refuses
     */
    @Override
    public void exposed(List<Exposure> exposures) {
        experiments.exposed(exposures);
    }

    /**
     * Counts outcomes: {@code PFADD} of their units into the (flag, run, metric, variant, day)
     * HyperLogLogs and {@code HINCRBYFLOAT} of counts and value sums, pipelined.
     *
     * @throws io.flagstore.core.StoreUnavailableException when Redis cannot be reached or refuses
     */
    @Override
    public void converted(List<Outcome> outcomes) {
        experiments.converted(outcomes);
    }

    /**
     * Records that this source's service evaluated {@code keys} at {@code at}: one HSET of {@code
     * <flag>|<service>} fields to epoch ms in the namespace's {@code usage} hash, sent by the updater
     * thread; dropped when not started, closed or disconnected (the next interval writes again).
     */
    @Override
    public void flagsEvaluated(Set<String> keys, Instant at) {
        if (loop.get() instanceof SourceLoop running && !keys.isEmpty()) {
            String millis = Long.toString(at.toEpochMilli());
            Map<String, String> fields = new HashMap<>();
            for (String key : keys) {
                fields.put(KeySchema.usageField(key, serviceName), millis);
            }
            running.recordUsage(fields);
        }
    }

    @Override
    public String toString() {
        return "RedisFlagSource[" + options.namespace() + ", " + instanceId + "]";
    }

    /** Options of a {@link RedisFlagSource}; only {@link #options(RedisOptions)} is required. Not thread-safe. */
    public static final class Builder {
        private RedisOptions options;
        private String serviceName = DEFAULT_SERVICE_NAME;
        private String instanceId;
        private Duration reconcileInterval = DEFAULT_RECONCILE_INTERVAL;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private PresenceSigner presenceSigner;
        private Path backupFile;
        private MeterRegistry meterRegistry;
        private int loadPageSize = SourceSettings.DEFAULT_LOAD_PAGE_SIZE;

        private Builder() {}

        /** Where Redis is and which namespace to read (required). */
        public Builder options(RedisOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** The service name shown to operators ({@code flagctl status}); default {@value #DEFAULT_SERVICE_NAME}. */
        public Builder serviceName(String serviceName) {
            this.serviceName = requireText(serviceName, "serviceName");
            return this;
        }

        /** This instance's id in the {@code clients} hash; default the service name plus a random suffix. */
        public Builder instanceId(String instanceId) {
            this.instanceId = requireText(instanceId, "instanceId");
            return this;
        }

        /**
         * How often the namespace version is compared with what is applied (one small read), so a
         * silently lost message is repaired within this interval; default 5 s.
         */
        public Builder reconcileInterval(Duration interval) {
            this.reconcileInterval = requirePositive(interval, "reconcileInterval");
            return this;
        }

        /**
         * How often this instance refreshes its presence entry; default 5 s. Readers treat an entry
         * older than three intervals as dead.
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = requirePositive(interval, "heartbeatInterval");
            return this;
        }

        /**
         * Signs this instance's presence entries with the Ed25519 private key in {@code file} (PEM,
         * PKCS#8: {@code flagctl trust keygen} or {@code openssl genpkey -algorithm ed25519} writes one)
         * instead of a key made at start. It is the service's key, shared by its instances and vouched
         * for with {@code flagctl trust add}, so that {@code flagctl --wait} holds each instance to it
         * (docs/operations.md, "Trusted presence keys"). Default: a new key at every start, which the
         * admin side trusts on first sight. The file is read here, once.
         *
         * @throws IllegalArgumentException when the file cannot be read or holds no Ed25519 private
         *     key (the message names the file and the problem, never the key)
         */
        public Builder presenceKeyFile(Path file) {
            Objects.requireNonNull(file, "presenceKeyFile");
            try {
                this.presenceSigner = PresenceSigner.fromPem(Files.readString(file, StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new IllegalArgumentException("presenceKeyFile " + file + " cannot be read: " + e, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("presenceKeyFile " + file + ": " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * A local file holding the last flag set (written atomically, at most twice a second, after
         * changes), used at start when Redis is unreachable; default none. It is a FlagJson document,
         * so {@code flagctl apply} can re-seed a namespace from it.
         */
        public Builder backupFile(Path file) {
            this.backupFile = Objects.requireNonNull(file, "backupFile");
            return this;
        }

        /**
         * Where the {@code flagstore.source.*} meters go; default the registry of the {@code
         * FlagClient} that starts the source, if it has one.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /** Hashes per script call of a load (internal: tests exercise paging with tiny pages). */
        Builder loadPageSize(int size) {
            this.loadPageSize = size;
            return this;
        }

        /**
         * A source, not started yet.
         *
         * @throws IllegalStateException when {@link #options(RedisOptions)} was not set
         */
        public RedisFlagSource build() {
            if (options == null) {
                throw new IllegalStateException("RedisFlagSource needs options(RedisOptions)");
            }
            return new RedisFlagSource(this);
        }

        private static String requireText(String value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }

        private static Duration requirePositive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, not " + value);
            }
            return value;
        }
    }
}
