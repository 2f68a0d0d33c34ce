package io.flagstore.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A running flag source as registered in the namespace's presence hash: which service holds which
 * version.
 *
 * @param service the service name
 * @param instance the instance id, unique in the namespace
 * @param host the host it runs on, or {@code null}
 * @param appliedVersion the namespace version it has applied
 * @param appliedAt when it applied that version, or {@code null}
 * @param heartbeat its last heartbeat
 * @param started when it started, or {@code null}
 * @param epoch the namespace epoch of the version it applied, or {@code null} (older entries)
 * @param heartbeatInterval how often it heartbeats, or {@code null} (older entries): liveness is
 *     judged by the instance's own interval
 * @param digest the digest of the definitions it serves, 16 hex digits, or {@code null} (older entries)
 * @param closedAt when it closed cleanly, or {@code null} while it runs: a closed entry keeps its last
 *     applied version for a while so that a confirmation given just before leaving still counts
 * @param signingKey the public key (Ed25519, X.509, base64) whose signature over the entry verified,
 *     or {@code null} for an unsigned entry (sources older than signed presence). A valid signature
 *     shows that the entry was written by the holder of that key and not altered since; that the
 *     key is the instance's own is for the reader to judge: {@code flagctl --wait} holds an instance
 *     to the key it had before the write (docs/operations.md, "Presence")
 */
public record ServiceInstance(
        String service,
        String instance,
        String host,
        long appliedVersion,
        Instant appliedAt,
        Instant heartbeat,
        Instant started,
        String epoch,
        Duration heartbeatInterval,
        String digest,
        Instant closedAt,
        String signingKey) {
    public ServiceInstance {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(heartbeat, "heartbeat");
    }

    /** An unsigned entry ({@code signingKey} {@code null}). */
    public ServiceInstance(
            String service,
            String instance,
            String host,
            long appliedVersion,
            Instant appliedAt,
            Instant heartbeat,
            Instant started,
            String epoch,
            Duration heartbeatInterval,
            String digest,
            Instant closedAt) {
        this(
                service,
                instance,
                host,
                appliedVersion,
                appliedAt,
                heartbeat,
                started,
                epoch,
                heartbeatInterval,
                digest,
                closedAt,
                null);
    }

    /** This entry as verified under {@code key}. */
    public ServiceInstance withSigningKey(String key) {
        return new ServiceInstance(
                service,
                instance,
                host,
                appliedVersion,
                appliedAt,
                heartbeat,
                started,
                epoch,
                heartbeatInterval,
                digest,
                closedAt,
                key);
    }
}
