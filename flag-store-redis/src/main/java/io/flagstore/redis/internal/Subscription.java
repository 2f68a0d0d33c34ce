package io.flagstore.redis.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Queue;

/**
 * The subscription of one source to its namespace's change channel. Lettuce calls the listener on a
 * Netty event loop; it only queues what arrived (a message, or a signal) for the updater thread, never
 * blocks and never calls Redis.
 *
 * <p>Lettuce (7.7) re-issues SUBSCRIBE by itself when it re-activates a reconnected pub/sub connection
 * ({@code StatefulRedisPubSubConnectionImpl.activated} calls {@code resubscribe}) and reports each
 * confirmation through {@code RedisPubSubListener.subscribed}: that confirmation is the reconnect
 * signal. In a Redis Cluster the subscription is a shard subscription on the slot's master ({@link
 * RedisConnections}); Lettuce does not move it when the master changes, so a {@code sunsubscribe}
 * from Redis or a dropped connection makes the updater subscribe again on the current master
 * ({@link #moveIfSharded}).
 *
 * <p>Opened and closed by the updater thread; the listeners only touch the queue.
 */
final class Subscription {
    /** What the subscription reports besides messages. */
    enum Signal {
        SUBSCRIBED,
        UNSUBSCRIBED,
        DISCONNECTED
    }

    /** A message as it arrived on the channel. */
    record Pushed(String payload) {}

    private static final System.Logger LOG = SourceLog.LOG;

    private final String channel;
    private final Queue<Object> events;
    private final SourceMetrics metrics;
    private boolean messageErrorLogged;
    private volatile StatefulRedisPubSubConnection<String, String> connection;
    private boolean reselect; // the subscription was lost in a cluster: find the slot's master again
    private volatile ChangeMessage.Claim covered; // messages of this epoch up to this version are dropped

    private final RedisPubSubAdapter<String, String> listener = new RedisPubSubAdapter<>() {
        @Override
        public void message(String ch, String message) {
            offer(message);
        }

        @Override
        public void smessage(String shardChannel, String message) {
            offer(message);
        }

        @Override
        public void subscribed(String ch, long count) {
            events.add(Signal.SUBSCRIBED);
        }

        @Override
        public void ssubscribed(String shardChannel, long count) {
            events.add(Signal.SUBSCRIBED);
        }

        @Override
        public void sunsubscribed(String shardChannel, long count) {
            events.add(Signal.UNSUBSCRIBED); // Redis ends shard subscriptions when the slot's master changes
        }
    };

    Subscription(String channel, Queue<Object> events, SourceMetrics metrics) {
        this.channel = channel;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * What a queued message says as far as deciding goes: the version and epoch it claims, or that it
     * is garbage (counted, logged once). Called by the updater thread.
     */
    SyncDecider.Input hint(String payload) {
        try {
            ChangeMessage.Claim claim = ChangeMessage.claim(payload);
            return new SyncDecider.Hint(claim.version(), claim.epoch());
        } catch (RuntimeException e) {
            metrics.error(SourceMetrics.ErrorKind.MESSAGE);
            if (!messageErrorLogged) {
                messageErrorLogged = true;
                LOG.log(
                        System.Logger.Level.WARNING,
                        "ignoring an undecodable message on " + channel
                                + " (catching up from Redis instead; further ones are only counted): "
                                + e.getMessage());
            }
            return new SyncDecider.BadMessage();
        }
    }

    /** Reports disconnects of this subscription's connection (register once per client). */
    RedisConnectionStateListener disconnectListener() {
        return new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                if (handler == connection) {
                    events.add(Signal.DISCONNECTED);
                }
            }
        };
    }

    /**
     * Messages that claim the epoch and at most the version of {@code held} are dropped instead of
     * queued ({@code null}: none are): while the audit stream is followed, the entry of a write often
     * arrives before its message, which would then only wake the updater for nothing. Anything else
     * (newer, another epoch, not readable) is queued.
     */
    void covered(ChangeMessage.Claim held) {
        covered = held;
    }

    private void offer(String message) {
        ChangeMessage.Claim held = covered;
        if (held != null) {
            try {
                ChangeMessage.Claim claim = ChangeMessage.claim(message);
                if (claim.epoch().equals(held.epoch()) && claim.version() <= held.version()) {
                    return;
                }
            } catch (IllegalArgumentException e) {
                // queued: the updater counts and logs it
            }
        }
        events.add(new Pushed(message));
    }

    boolean open() {
        return connection != null;
    }

    /** Connects and subscribes; confirmation arrives as {@link Signal#SUBSCRIBED}. */
    void open(RedisConnections client) {
        if (reselect) {
            client.refreshTopology(); // the subscription was lost: the slot may have a new master
        }
        connection = client.connectPubSub(channel, listener);
        reselect = false;
        subscribe(client);
    }

    /** Subscribes again when the connection is up but the subscription is not (a SUBSCRIBE lost with a drop). */
    void ensure(RedisConnections client, boolean subscribed) {
        StatefulRedisPubSubConnection<String, String> c = connection;
        if (c != null && c.isOpen() && !subscribed) {
            subscribe(client);
        }
    }

    private void subscribe(RedisConnections client) {
        client.subscribe(connection, channel).whenComplete((ok, failure) -> {
            if (failure != null) {
                events.add(Signal.UNSUBSCRIBED);
            }
        });
    }

    /**
     * In a cluster, a lost shard subscription is made again on the slot's current master (a connection
     * to the old one may never come back); returns whether the connection was released for that. A
     * standalone connection resubscribes itself when Lettuce reconnects it.
     */
    boolean moveIfSharded(RedisConnections client) {
        if (client.sharded() && connection != null) {
            client.release(connection, channel, listener);
            connection = null;
            reselect = true;
            return true;
        }
        return false;
    }

    void close(RedisConnections client) {
        StatefulRedisPubSubConnection<String, String> c = connection;
        connection = null;
        if (c != null) {
            client.release(c, channel, listener);
        }
    }
}
