package io.flagstore.redis.internal;

import io.flagstore.redis.ServiceInstance;
import io.lettuce.core.RedisException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * This instance's entry in the namespace's {@code clients} hash: the heartbeat, and right after each
 * change the version and epoch applied, when, the heartbeat interval it keeps (liveness is judged by
 * it) and the digest of the flags it serves. On a clean close the entry is written once more with
 * {@code closedAt} instead of being deleted, so that a confirmation given just before leaving still
 * counts; the admin side removes closed entries later. Every entry is signed ({@link
 * PresenceSigner}: a key pair made when the source starts, or the service's key from a file), so
 * that another holder of the service role cannot write an entry that passes for this instance's.
 *
 * <p>Implementation notes: writes are fire and forget (presence must never delay applying changes)
 * and at most every {@value #GAP_MILLIS} ms, so a burst of changes costs one write while the entry
 * still says when each version was applied. Text values are cut to {@value PresenceJson#MAX_TEXT} characters.
 *
 * <p>Not thread-safe (the updater thread's).
 */
final class PresenceWriter {
    private static final System.Logger LOG = SourceLog.LOG;
    static final long GAP_MILLIS = 100;

    private final SourceSettings settings;
    private final KeySchema keys;
    private final String host = bounded(localHost());
    private final Instant started = Instant.now();
    private long dueNanos;
    private long lastNanos = Long.MIN_VALUE / 2;

    PresenceWriter(SourceSettings settings, KeySchema keys, long nowNanos) {
        this.settings = settings;
        this.keys = keys;
        this.dueNanos = nowNanos;
    }

    /** When the next write is due (nanos). */
    long dueNanos() {
        return dueNanos;
    }

    /** Something changed that the entry shows: write it soon. */
    void soon(long nowNanos) {
        dueNanos = Math.min(dueNanos, Math.max(nowNanos, lastNanos + TimeUnit.MILLISECONDS.toNanos(GAP_MILLIS)));
    }

    /** Writes the entry if connected; the next heartbeat is one interval away. */
    void write(RedisConnections.Commands commands, HeldSet held, long nowNanos) {
        lastNanos = nowNanos;
        dueNanos = nowNanos + settings.heartbeatInterval().toNanos();
        if (commands != null && commands.isOpen()) {
            commands.async().hset(keys.clients(), settings.instanceId(), entry(held, null));
        }
    }

    /** The last write, on a clean close: the entry stays, marked closed. */
    void close(RedisConnections.Commands commands, HeldSet held) {
        try {
            if (commands != null && commands.isOpen()) {
                commands.sync().hset(keys.clients(), settings.instanceId(), entry(held, Instant.now()));
            }
        } catch (RedisException e) {
            LOG.log(Level.DEBUG, "could not mark the presence entry closed: " + e.getMessage());
        }
    }

    private String entry(HeldSet held, Instant closedAt) {
        return PresenceJson.write(
                new ServiceInstance(
                        bounded(settings.serviceName()),
                        settings.instanceId(),
                        host,
                        held.version(),
                        held.appliedAtMillis() == 0 ? null : Instant.ofEpochMilli(held.appliedAtMillis()),
                        Instant.now(),
                        started,
                        held.epoch().isEmpty() ? null : bounded(held.epoch()),
                        settings.heartbeatInterval(),
                        held.appliedAtMillis() == 0 ? null : held.digestHex(),
                        closedAt),
                keys.namespace(),
                settings.presenceSigner());
    }

    private static String bounded(String text) {
        return text.length() <= PresenceJson.MAX_TEXT ? text : text.substring(0, PresenceJson.MAX_TEXT);
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
