package io.flagstore.redis.internal;

import io.flagstore.redis.RedisOptions;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisException;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;

/**
 * A source's connections to Redis: its client (on the JVM's {@link SharedResources}), the command
 * connection and the {@link Subscription}'s connection. Each is opened when missing, again after a
 * backoff while Redis cannot be reached; once open, Lettuce reconnects them by itself. Commands fail
 * fast while disconnected, since the updater retries on its own schedule.
 *
 * <p>Not thread-safe (the updater thread's).
 */
final class RedisLink {
    private final RedisOptions options;
    private final Subscription subscription;
    private final Backoff backoff;
    private ClientResources resources;
    private RedisConnections client;
    private RedisConnections.Commands commands;
    private long connectAtNanos;

    /** {@code backoff} spaces the attempts; the updater resets it once Redis confirms the subscription. */
    RedisLink(RedisOptions options, Subscription subscription, Backoff backoff) {
        this.options = options;
        this.subscription = subscription;
        this.backoff = backoff;
    }

    /** Whether the subscription's and the command connection were opened (either may be reconnecting). */
    boolean open() {
        return subscription.open() && commands != null;
    }

    /** The client, or {@code null} before the first attempt to connect got that far. */
    RedisConnections client() {
        return client;
    }

    /** The command connection, or {@code null} until it was opened. */
    RedisConnections.Commands commands() {
        return commands;
    }

    /** When the next attempt to connect is due (nanos; {@link Long#MAX_VALUE}: none, all is open). */
    long dueNanos() {
        return open() ? Long.MAX_VALUE : connectAtNanos;
    }

    /**
     * Opens what is missing once an attempt is due. A failure is thrown after the next attempt was
     * scheduled.
     *
     * @throws RedisException when Redis cannot be reached
     */
    void connect() {
        if (System.nanoTime() < connectAtNanos) {
            return;
        }
        try {
            if (client == null) {
                resources = SharedResources.acquire();
                client = RedisConnections.create(options, resources, b -> b.autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout())));
                client.addListener(subscription.disconnectListener());
            }
            if (!subscription.open()) {
                subscription.open(client);
            }
            if (commands == null) {
                commands = client.connect();
            }
            connectAtNanos = 0;
        } catch (RedisException e) {
            connectAtNanos = System.nanoTime() + backoff.nextNanos();
            throw e;
        }
    }

    /** After the subscription was lost in a cluster: subscribe again on the slot's master, soon. */
    void moveSubscription() {
        if (subscription.moveIfSharded(client)) {
            connectAtNanos = System.nanoTime() + backoff.nextNanos();
        }
    }

    /** Says that Redis cannot serve (for the log and the state detail), naming it without credentials. */
    String unreachable(String what, RedisException cause) {
        return "Redis at " + options.redactedUri() + ": " + what
                + (cause == null ? "" : " (" + RedisSupport.describe(cause) + ")");
    }

    /** Releases the subscription, the command connection, the client and the shared resources. */
    void close() {
        if (client != null) {
            subscription.close(client);
        }
        if (commands != null) {
            commands.close();
        }
        if (client != null) {
            client.close();
        }
        if (resources != null) {
            SharedResources.release();
        }
    }
}
