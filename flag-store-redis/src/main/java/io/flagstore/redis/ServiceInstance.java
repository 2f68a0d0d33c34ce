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
        Instant closedAt) {
    public ServiceInstance {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(heartbeat, "heartbeat");
    }
}
