package io.flagstore.redis.internal;

import io.flagstore.redis.RedisOptions;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Delegating;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.event.command.CommandFailedEvent;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandSucceededEvent;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Lettuce client of an admin or a source: one standalone Redis ({@code redis://}) or a Redis
 * Cluster ({@code redis-cluster://}). Callers are written once against what both share (Lettuce's
 * {@code RedisClusterCommands}, implemented by standalone and cluster connections, and plain pub/sub
 * connections); this class holds only what the topology really changes:
 *
 * <ul>
 *   <li>the change channel: {@code PUBLISH}/{@code SUBSCRIBE} on a standalone server (Redis 6.2
 *       works), sharded {@code SPUBLISH}/{@code SSUBSCRIBE} in a cluster, where the channel
 *       {@code flagstore:{ns}:changes} lives in the namespace's slot with its keys;
 *   <li>where the subscription lives: in a cluster, a connection to the node that owns the
 *       channel's slot, chosen again (after a topology refresh) each time it is lost, because Redis
 *       ends shard subscriptions when the slot's master changes and Lettuce does not move them;
 *   <li>commands that must reach that node (e.g. {@code PUBSUB SHARDNUMSUB}): a keyless command
 *       would go to an arbitrary node.
 * </ul>
 *
 * <p>Command connections cannot hang: every command has the command timeout, and after {@link
 * #TIMEOUTS_BEFORE_RECONNECT} timeouts in a row (no success between them) the client's command
 * connections are dropped and reconnected. A connection that a silent network partition left stuck
 * (its requests unacknowledged, retransmitted at the kernel's growing backoff) would otherwise stay
 * so long after the path healed; this holds on every transport, beside the socket options of
 * {@link RedisSupport#socketOptions} that do the same in the kernel where they can.
 *
 * <p>Thread-safe as Lettuce's clients are; {@link #close()} shuts the client down.
 */
public abstract sealed class RedisConnections implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisConnections.class.getName());

    /** Periodic topology refresh: catches a failover that no command ran into. */
    static final Duration TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(10);
    /** Adaptive refreshes (MOVED, ASK, reconnects) at most this often. */
    static final Duration ADAPTIVE_REFRESH_TIMEOUT = Duration.ofSeconds(1);

    /** Consecutive command timeouts of a client after which its command connections are replaced. */
    static final int TIMEOUTS_BEFORE_RECONNECT = 2;

    /** A command connection and the interfaces both topologies share. */
    public static final class Commands implements AutoCloseable {
        private final RedisConnections owner;
        private final StatefulConnection<String, String> connection;
        private final RedisClusterCommands<String, String> sync;
        private final RedisClusterAsyncCommands<String, String> async;
        private final Function<String, RedisClusterAsyncCommands<String, String>> masterOf;
        private final boolean sharded;

        private Commands(
                RedisConnections owner,
                StatefulConnection<String, String> connection,
                RedisClusterCommands<String, String> sync,
                RedisClusterAsyncCommands<String, String> async,
                Function<String, RedisClusterAsyncCommands<String, String>> masterOf,
                boolean sharded) {
            this.owner = owner;
            this.connection = connection;
            this.sync = owner.countingTimeouts(sync);
            this.async = async;
            this.masterOf = masterOf;
            this.sharded = sharded;
        }

        /** Synchronous commands; keyed ones go to the key's slot owner in a cluster. */
        public RedisClusterCommands<String, String> sync() {
            return sync;
        }

        /** Asynchronous commands; keyed ones go to the key's slot owner in a cluster. */
        public RedisClusterAsyncCommands<String, String> async() {
            return async;
        }

        /**
         * Asynchronous commands of the master owning {@code key}'s slot (the server itself when
         * standalone), on the connection that keyed commands for that slot use, for keyless commands
         * about that key, e.g. {@code WAIT} after a script on it.
         *
         * @throws RedisException when the cluster topology names no master for the slot
         */
        public RedisClusterAsyncCommands<String, String> masterOf(String key) {
            return masterOf.apply(key);
        }

        /** Subscribers of the change channel as Redis counts them (a cluster: on the slot's master). */
        public RedisFuture<Map<String, Long>> subscribers(String channel) {
            return sharded ? masterOf(channel).pubsubShardNumsub(channel) : async.pubsubNumsub(channel);
        }

        public boolean isOpen() {
            return connection.isOpen();
        }

        @Override
        public void close() {
            owner.open.remove(this);
            connection.close();
        }
    }

    private final AbstractRedisClient client;
    private final boolean sharded;
    private final String where; // the redacted URI, for messages
    private final Set<Commands> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger timeoutsInARow = new AtomicInteger();
    private ClientResources ownResources; // created for this client (none were given), shut down with it

    private RedisConnections(AbstractRedisClient client, boolean sharded, String where) {
        this.client = client;
        this.sharded = sharded;
        this.where = where;
        // asynchronous commands time out in the connection's writer, which reports it here; a synchronous call's
        // own wait (the same timeout) cancels its command unreported: countingTimeouts sees those
        client.addListener(new CommandListener() {
            @Override
            public void commandSucceeded(CommandSucceededEvent event) {
                timeoutsInARow.set(0);
            }

            @Override
            public void commandFailed(CommandFailedEvent event) {
                if (event.getCause() instanceof RedisCommandTimeoutException) {
                    timedOut();
                }
            }
        });
    }

    private void timedOut() {
        if (timeoutsInARow.incrementAndGet() >= TIMEOUTS_BEFORE_RECONNECT) {
            timeoutsInARow.set(0);
            reconnectCommandConnections();
        }
    }

    /** {@code sync}, telling {@link #timedOut} of each timeout it throws. */
    @SuppressWarnings("unchecked")
    private RedisClusterCommands<String, String> countingTimeouts(RedisClusterCommands<String, String> sync) {
        InvocationHandler handler = (proxy, method, args) -> {
            try {
                return method.invoke(sync, args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RedisCommandTimeoutException) {
                    timedOut();
                }
                throw e.getCause();
            }
        };
        return (RedisClusterCommands<String, String>) Proxy.newProxyInstance(
                sync.getClass().getClassLoader(), sync.getClass().getInterfaces(), handler);
    }

    /**
     * Drops the channels of every open command connection; Lettuce reconnects each (commands fail
     * or wait meanwhile, as the client's disconnected behaviour says).
     */
    void reconnectCommandConnections() {
        LOG.log(
                System.Logger.Level.WARNING,
                "Redis at " + where + " did not answer " + TIMEOUTS_BEFORE_RECONNECT
                        + " commands in a row: reconnecting");
        open.forEach(commands -> disconnectAll(commands.connection));
    }

    /**
     * Drops the channels that carry {@code connection}'s commands without blocking (this may run on
     * one of Lettuce's threads).
     */
    abstract void disconnectAll(StatefulConnection<String, String> connection);

    /** Drops the channel of one node connection. */
    static void disconnect(StatefulConnection<String, String> connection) {
        if (!(connection instanceof RedisChannelHandler<?, ?> handler)) {
            return;
        }
        Object writer = handler.getChannelWriter();
        while (writer instanceof Delegating<?> delegating) {
            writer = delegating.getDelegate();
        }
        if (writer instanceof DefaultEndpoint endpoint) {
            endpoint.disconnect(); // the channel closes; Lettuce's watchdog reconnects
        }
    }

    /** Tracks {@code commands} for {@link #reconnectCommandConnections}. */
    final Commands track(Commands commands) {
        open.add(commands);
        return commands;
    }

    /**
     * A client for {@code options} (not connected yet).
     *
     * @param resources shared event loops, or {@code null} for the client's own (with the same
     *     reconnect policy as the shared ones)
     * @param customize further client options (disconnected behaviour, timeouts)
     */
    public static RedisConnections create(
            RedisOptions options, ClientResources resources, Consumer<ClientOptions.Builder> customize) {
        if (resources == null) {
            ClientResources own = SharedResources.create();
            try {
                RedisConnections connections = create(options, own, customize);
                connections.ownResources = own;
                return connections;
            } catch (RuntimeException e) {
                own.shutdown(0, 2, TimeUnit.SECONDS);
                throw e;
            }
        }
        if (options.cluster()) {
            RedisClusterClient client = RedisClusterClient.create(resources, RedisSupport.clusterUris(options));
            ClusterClientOptions.Builder builder = RedisSupport.configure(ClusterClientOptions.builder(), options)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(TOPOLOGY_REFRESH_PERIOD)
                            .enableAllAdaptiveRefreshTriggers()
                            .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_TIMEOUT)
                            .refreshTriggersReconnectAttempts(2)
                            .build());
            customize.accept(builder);
            // REJECT_COMMANDS would also refuse the first command to each node (its connection opens lazily):
            // queue instead, bounded by the command timeout
            builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.DEFAULT)
                    .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()));
            client.setOptions(builder.build());
            return new Cluster(client, options.redactedUri());
        }
        RedisClient client = RedisClient.create(resources, RedisSupport.redisUri(options));
        // every command times out in the writer, where the timeout watch above sees it (a sync call's own wait
        // would only cancel the command)
        ClientOptions.Builder builder = RedisSupport.configure(ClientOptions.builder(), options)
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()));
        customize.accept(builder);
        client.setOptions(builder.build());
        return new Standalone(client, options.redactedUri());
    }

    /** Whether the change channel is a shard channel ({@code SPUBLISH}/{@code SSUBSCRIBE}). */
    public boolean sharded() {
        return sharded;
    }

    /** The command the write script publishes changes with. */
    public String publishCommand() {
        return sharded() ? "SPUBLISH" : "PUBLISH";
    }

    /** Opens a command connection. */
    public abstract Commands connect();

    /**
     * A pub/sub connection where {@code channel} can be subscribed, with {@code listener} added; give
     * it back with {@link #release}.
     */
    public StatefulRedisPubSubConnection<String, String> connectPubSub(
            String channel, RedisPubSubListener<String, String> listener) {
        StatefulRedisPubSubConnection<String, String> connection = pubSubConnection(channel);
        connection.addListener(listener);
        return connection;
    }

    /** A pub/sub connection where {@code channel} can be subscribed. */
    abstract StatefulRedisPubSubConnection<String, String> pubSubConnection(String channel);

    /** Subscribes {@code connection} to {@code channel} ({@code SUBSCRIBE} or {@code SSUBSCRIBE}). */
    public RedisFuture<Void> subscribe(StatefulRedisPubSubConnection<String, String> connection, String channel) {
        return sharded()
                ? connection.async().ssubscribe(channel)
                : connection.async().subscribe(channel);
    }

    /** Stops {@code listener} hearing {@code connection} and lets the connection go. */
    public void release(
            StatefulRedisPubSubConnection<String, String> connection,
            String channel,
            RedisPubSubListener<String, String> listener) {
        connection.removeListener(listener);
        letGo(connection, channel);
    }

    /** Lets a connection from {@link #pubSubConnection} go. */
    abstract void letGo(StatefulRedisPubSubConnection<String, String> connection, String channel);

    /** Asks the cluster for its current topology (a no-op on a standalone server). */
    public abstract void refreshTopology();

    /** Tells {@code listener} about the connections' disconnects and reconnects. */
    public void addListener(RedisConnectionStateListener listener) {
        client.addListener(listener);
    }

    @Override
    public void close() {
        client.shutdown(0, 2, TimeUnit.SECONDS);
        if (ownResources != null) {
            ownResources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static final class Standalone extends RedisConnections {
        private final RedisClient client;

        Standalone(RedisClient client, String where) {
            super(client, false, where);
            this.client = client;
        }

        @Override
        public Commands connect() {
            StatefulRedisConnection<String, String> connection = client.connect();
            return track(new Commands(
                    this, connection, connection.sync(), connection.async(), key -> connection.async(), false));
        }

        @Override
        void disconnectAll(StatefulConnection<String, String> connection) {
            disconnect(connection);
        }

        @Override
        StatefulRedisPubSubConnection<String, String> pubSubConnection(String channel) {
            return client.connectPubSub();
        }

        @Override
        void letGo(StatefulRedisPubSubConnection<String, String> connection, String channel) {
            connection.close();
        }

        @Override
        public void refreshTopology() {}
    }

    private static final class Cluster extends RedisConnections {
        private final RedisClusterClient client;
        private StatefulRedisClusterPubSubConnection<String, String> pubsub; // guarded by this

        Cluster(RedisClusterClient client, String where) {
            super(client, true, where);
            this.client = client;
        }

        @Override
        public Commands connect() {
            StatefulRedisClusterConnection<String, String> connection = client.connect();
            return track(new Commands(
                    this, connection, connection.sync(), connection.async(), key -> master(connection, key), true));
        }

        @Override
        void disconnectAll(StatefulConnection<String, String> connection) {
            // the masters' node connections (Lettuce opens one per node as commands need it)
            StatefulRedisClusterConnection<String, String> cluster =
                    (StatefulRedisClusterConnection<String, String>) connection;
            for (RedisClusterNode node : cluster.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                    cluster.getConnectionAsync(node.getNodeId()).thenAccept(RedisConnections::disconnect);
                }
            }
        }

        @Override
        synchronized StatefulRedisPubSubConnection<String, String> pubSubConnection(String channel) {
            if (pubsub == null) {
                pubsub = client.connectPubSub(); // the node connections below belong to it
            }
            RedisClusterNode master = masterOf(client.getPartitions().getMasterBySlot(SlotHash.getSlot(channel)));
            return pubsub.getConnection(master.getNodeId());
        }

        @Override
        void letGo(StatefulRedisPubSubConnection<String, String> connection, String channel) {
            // the node connection stays in the cluster connection's pool: end its subscription, if any is left
            if (connection.isOpen()) {
                connection.async().sunsubscribe(channel);
            }
        }

        @Override
        public void refreshTopology() {
            client.refreshPartitions();
        }

        @Override
        public synchronized void close() {
            if (pubsub != null) {
                pubsub.close();
            }
            super.close();
        }
    }

    private static RedisClusterNode masterOf(RedisClusterNode node) {
        if (node == null) {
            throw new RedisException("the cluster topology names no master for the namespace's slot");
        }
        return node;
    }

    /** The connection keyed commands for {@code key}'s slot use: the slot master's, by host and port. */
    private static RedisClusterAsyncCommands<String, String> master(
            StatefulRedisClusterConnection<String, String> connection, String key) {
        RedisClusterNode master = masterOf(connection.getPartitions().getMasterBySlot(SlotHash.getSlot(key)));
        // by host and port, as Lettuce keys the connection of slot-routed commands: WAIT counts only the writes
        // of its own connection
        return connection
                .getConnection(master.getUri().getHost(), master.getUri().getPort())
                .async();
    }
}
