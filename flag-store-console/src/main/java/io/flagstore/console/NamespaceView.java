package io.flagstore.console;

import io.flagstore.core.model.Flag;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.FlagScheduler;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One namespace as the console sees it: the admin library for reads and writes, a flag source that
 * keeps every flag in memory (so the flag list of 10,000 flags renders without reading Redis) and
 * reports each change from the change channel, and the fleet tracker fed by those changes.
 */
final class NamespaceView implements AutoCloseable {
    /** The service name the console's own flag source registers under. */
    static final String SERVICE_NAME = "flag-store-console";

    static final java.time.Duration EPOCH_TTL = java.time.Duration.ofSeconds(5);

    /** What {@link FlagAdmin#info()} reports as the Redis version to a user without INFO. */
    private static final String UNKNOWN_VERSION = "unknown";

    private static final System.Logger LOG = System.getLogger(NamespaceView.class.getName());

    final String name;
    final FlagAdmin admin;
    final FlagScheduler scheduler;
    final FleetTracker fleet;
    private volatile boolean readOnly;
    private final RedisFlagSource source;
    private volatile NavigableMap<String, Flag> flags = Collections.emptyNavigableMap();
    private volatile long version;
    private volatile SourceState state = SourceState.INITIALIZING;
    private volatile String stateMessage;
    private volatile String epoch;
    private volatile long epochReadAt = System.nanoTime() - EPOCH_TTL.toNanos() - 1;

    private NamespaceView(String name, FlagAdmin admin, RedisFlagSource source, boolean readOnly) {
        this.name = name;
        this.admin = admin;
        this.scheduler = new FlagScheduler(admin);
        this.source = source;
        this.readOnly = readOnly;
        this.fleet = new FleetTracker(admin, source.instanceId(), name);
    }

    /**
     * Connects to the namespace, probes whether the Redis user may write, starts following it.
     *
     * @param forceReadOnly never write, whatever Redis allows
     * @param presenceKeyFile the key the console's presence is signed with, or {@code null} for a new one
     */
    static NamespaceView open(RedisOptions options, boolean forceReadOnly, Path presenceKeyFile) {
        FlagAdmin admin = FlagAdmin.connect(options);
        try {
            boolean readOnly = forceReadOnly || !mayWrite(admin);
            RedisFlagSource.Builder source = RedisFlagSource.builder()
                    .options(options)
                    .serviceName(SERVICE_NAME)
                    .instanceId(SERVICE_NAME + "-"
                            + ManagementFactory.getRuntimeMXBean().getName() + "-"
                            + Sessions.randomToken().substring(0, 8));
            if (presenceKeyFile != null) {
                source.presenceKeyFile(presenceKeyFile);
            }
            NamespaceView view = new NamespaceView(options.namespace(), admin, source.build(), readOnly);
            view.start();
            return view;
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
    }

    /**
     * Whether the Redis user looks like it may write, without writing: the documented service role
     * may not run INFO, for which {@link FlagAdmin#info()} reports the Redis version as {@code
     * unknown}; the admin role may. A user allowed INFO but not writes is found at its first refused
     * write ({@link #refusedWrite}).
     */
    private static boolean mayWrite(FlagAdmin admin) {
        if (UNKNOWN_VERSION.equals(admin.info().redisVersion())) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "namespace {0}: the Redis user has the service role; read-only",
                    admin.options().namespace());
            return false;
        }
        return true;
    }

    /** Redis refused a write for lack of a role: the namespace is read-only from now on. */
    void refusedWrite() {
        readOnly = true;
    }

    private void start() {
        source.start(new FlagSink() {
            @Override
            public void init(FlagData data) {
                flags = Collections.unmodifiableNavigableMap(new TreeMap<>(data.flags()));
                version = data.version();
                fleet.written(data.version(), null);
            }

            @Override
            public void apply(FlagUpdate update) {
                TreeMap<String, Flag> next = new TreeMap<>(flags);
                update.flags().forEach(f -> next.put(f.key(), f));
                update.deletedFlags().forEach(next::remove);
                flags = Collections.unmodifiableNavigableMap(next);
                version = Math.max(version, update.version());
                fleet.written(update.version(), update.writtenAt());
            }

            @Override
            public void stateChanged(SourceState newState, String message) {
                state = newState;
                stateMessage = message;
            }
        });
        fleet.start();
    }

    /** Every flag, by key, as of the last change received. */
    NavigableMap<String, Flag> flags() {
        return flags;
    }

    /**
     * The namespace epoch, read at most every {@link #EPOCH_TTL} (it changes only when the namespace is
     * reset or re-seeded); null when never written or unreadable.
     */
    String epoch() {
        long now = System.nanoTime();
        if (now - epochReadAt > EPOCH_TTL.toNanos()) {
            try {
                epoch = admin.info().epoch();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot read the epoch of {0}: {1}", name, e.getMessage());
            }
            epochReadAt = now;
        }
        return epoch;
    }

    boolean readOnly() {
        return readOnly;
    }

    long version() {
        return version;
    }

    SourceState state() {
        return state;
    }

    String stateMessage() {
        return stateMessage;
    }

    @Override
    public void close() {
        fleet.close();
        source.close();
        admin.close();
    }
}
