package io.flagstore.console;

import io.flagstore.core.model.Flag;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.AccessDeniedException;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.FlagScheduler;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.WriteOptions;
import java.lang.management.ManagementFactory;
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

    /** A key no flag has: a write expecting an impossible version of it tests the right to write. */
    private static final String PROBE_KEY = "flag-store-console.write-probe";

    private static final System.Logger LOG = System.getLogger(NamespaceView.class.getName());

    final String name;
    final FlagAdmin admin;
    final FlagScheduler scheduler;
    final FleetTracker fleet;
    final boolean readOnly;
    private final RedisFlagSource source;
    private volatile NavigableMap<String, Flag> flags = Collections.emptyNavigableMap();
    private volatile long version;
    private volatile SourceState state = SourceState.INITIALIZING;
    private volatile String stateMessage;

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
     */
    static NamespaceView open(RedisOptions options, boolean forceReadOnly) {
        FlagAdmin admin = FlagAdmin.connect(options);
        try {
            boolean readOnly = forceReadOnly || !mayWrite(admin);
            RedisFlagSource source = RedisFlagSource.builder()
                    .options(options)
                    .serviceName(SERVICE_NAME)
                    .instanceId(SERVICE_NAME + "-" + ManagementFactory.getRuntimeMXBean().getName() + "-"
                            + Sessions.randomToken().substring(0, 8))
                    .build();
            NamespaceView view = new NamespaceView(options.namespace(), admin, source, readOnly);
            view.start();
            return view;
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
    }

    /**
     * Whether the Redis user may run the write script: a delete of a key that does not exist, expecting
     * a version it cannot have, is refused by the script (nothing written) when the user may run it,
     * and refused by Redis's ACL when it may not (the service role).
     */
    private static boolean mayWrite(FlagAdmin admin) {
        try {
            admin.delete(PROBE_KEY, WriteOptions.defaults().withActor(SERVICE_NAME).withExpectedVersion(Long.MAX_VALUE));
            return true;
        } catch (AccessDeniedException e) {
            LOG.log(System.Logger.Level.INFO, "namespace {0}: the Redis user may not write; read-only", admin.options().namespace());
            return false;
        } catch (RuntimeException e) {
            return true;
        }
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
