package io.flagstore.redis;

import io.flagstore.core.StoreUnavailableException;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.internal.PresenceJson;
import io.flagstore.redis.internal.PresenceSigner;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads and judges the presence hash, where each running source says which version it applied,
 * and prunes entries that no longer matter. The rules here are the ones the write script applies
 * to the same entries (it receives the constants as arguments).
 *
 * <p>Thread-safe.
 */
final class Presence {
    /** The heartbeat interval of entries that do not state their own: the sources' default. */
    static final Duration DEFAULT_HEARTBEAT_INTERVAL = RedisFlagSource.DEFAULT_HEARTBEAT_INTERVAL;
    /** An instance silent for this many of its heartbeat intervals is not live. */
    static final int DEAD_AFTER_INTERVALS = 3;
    /** A silent instance is reported as lost until this many intervals, then its entry is pruned. */
    static final int LOST_FOR_INTERVALS = 10;
    /** How far in the future a heartbeat may lie (clocks of hosts differ) before it is refused. */
    static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(1);
    /**
     * The highest version believed from presence: 2^53 - 1, the largest integer Lua (the write
     * script) holds exactly; a namespace gaining a version per millisecond reaches it in 285,000 years.
     */
    static final long MAX_VERSION = (1L << 53) - 1;

    private static final System.Logger LOG = System.getLogger(Presence.class.getName());
    private static final Duration LONGEST_INTERVAL = Duration.ofDays(1);

    private final AdminRedis redis;
    private final AdminScripts scripts;
    private final KeySchema keys;
    /**
     * The entries of the last read, parsed and their signatures checked, by their text: checking an
     * Ed25519 signature costs about 70 µs, and a wait reads every 10 ms entries that mostly did not
     * change. Only the last read is kept, so it holds as many entries as the hash.
     */
    private volatile Map<String, PresenceJson.Parsed> lastRead = Map.of();

    Presence(AdminRedis redis, AdminScripts scripts) {
        this.redis = redis;
        this.keys = redis.keys();
        this.scripts = scripts;
    }

    /** The namespace version, epoch and judged presence entries; prunes long-gone entries. */
    FleetView fleet() {
        RedisFuture<String> version = redis.async().get(keys.version());
        // HMGET, not HGET: the service role (flagctl status with a service user) has only HMGET
        RedisFuture<List<KeyValue<String, String>>> epoch = redis.async().hmget(keys.meta(), KeySchema.META_EPOCH);
        RedisFuture<Map<String, String>> entries = redis.async().hgetall(keys.clients());
        RedisFuture<Map<String, String>> trusted = redis.async().hgetall(keys.trustedKeys());
        long namespaceVersion = parseVersion(redis.await("GET", version));
        String namespaceEpoch = redis.await("HMGET", epoch).get(0).getValueOrElse(null);
        List<FleetView.Implausible> implausible = new ArrayList<>();
        Map<String, String> read = hash(entries, keys.clients(), implausible);
        Map<String, String> trustedKeys = hash(trusted, keys.trustedKeys(), implausible);
        Instant now = Instant.now();
        List<ServiceInstance> live = new ArrayList<>();
        List<ServiceInstance> closed = new ArrayList<>();
        List<ServiceInstance> lost = new ArrayList<>();
        Map<String, String> gone = new LinkedHashMap<>();
        Map<String, PresenceJson.Parsed> parsedEntries = parsed(read);
        read.forEach((field, json) -> {
            PresenceJson.Parsed parsed = parsedEntries.get(json);
            String problem = problem(field, parsed, now);
            if (problem != null) {
                implausible.add(new FleetView.Implausible(field, problem));
                return;
            }
            ServiceInstance instance = parsed.instance();
            Duration interval = interval(instance);
            Instant deadline = now.minus(interval.multipliedBy(DEAD_AFTER_INTERVALS));
            boolean longGone = instance.closedAt() != null
                    ? instance.closedAt().isBefore(deadline)
                    : instance.heartbeat().isBefore(now.minus(interval.multipliedBy(LOST_FOR_INTERVALS)));
            if (longGone) {
                gone.put(field, json);
                if (!trustedKeys.isEmpty() && !FleetView.signedByTrustedKey(instance, trustedKeys)) {
                    // removed all the same, but a wait must still see that something stood there
                    implausible.add(new FleetView.Implausible(
                            field, "long gone, and not signed by its service's trusted key (removed)"));
                }
            } else if (instance.closedAt() != null) {
                closed.add(instance);
            } else if (!instance.heartbeat().isBefore(deadline)) {
                live.add(instance);
            } else {
                lost.add(instance);
            }
        });
        prune(gone);
        return new FleetView(
                namespaceVersion,
                namespaceEpoch,
                now,
                sorted(live),
                sorted(closed),
                sorted(lost),
                implausible,
                trustedKeys);
    }

    /** A hash as read; a key of another type is reported and read as empty. */
    private Map<String, String> hash(
            RedisFuture<Map<String, String>> read, String key, List<FleetView.Implausible> implausible) {
        try {
            return redis.await("HGETALL", read);
        } catch (StoreUnavailableException e) {
            if (!StoreReader.wrongType(e)) {
                throw e;
            }
            implausible.add(new FleetView.Implausible(key, "not a hash (WRONGTYPE)"));
            return Map.of();
        }
    }

    /** The trusted presence keys by service, sorted; see {@link FlagAdmin#trustedKeys()}. */
    Map<String, String> trustedKeys() {
        return new TreeMap<>(redis.call("HGETALL", () -> redis.sync().hgetall(keys.trustedKeys())));
    }

    /** Vouches for {@code publicKey} as {@code service}'s; see {@link FlagAdmin#trustKey}. */
    void trust(String service, String publicKey) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(publicKey, "publicKey");
        if (service.isBlank() || service.length() > PresenceJson.MAX_TEXT) {
            throw new IllegalArgumentException("service must be 1 to " + PresenceJson.MAX_TEXT
                    + " characters, not blank (presence cuts longer names): was " + service.length() + " characters");
        }
        String key;
        try {
            key = PresenceSigner.publicKey(publicKey);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key for service '" + service + "' is " + e.getMessage(), e);
        }
        redis.call("HSET", () -> redis.sync().hset(keys.trustedKeys(), service, key));
    }

    /** Withdraws {@code service}'s trusted key; whether there was one. */
    boolean distrust(String service) {
        Objects.requireNonNull(service, "service");
        return redis.call("HDEL", () -> redis.sync().hdel(keys.trustedKeys(), service)) > 0;
    }

    /**
     * The running instances whose last heartbeat is within {@code deadAfter}; entries older than
     * that are pruned.
     */
    List<ServiceInstance> instances(Duration deadAfter) {
        Map<String, String> entries = redis.call("HGETALL", () -> redis.sync().hgetall(keys.clients()));
        Instant now = Instant.now();
        Instant cutoff = now.minus(deadAfter);
        List<ServiceInstance> live = new ArrayList<>();
        Map<String, String> dead = new LinkedHashMap<>();
        Map<String, PresenceJson.Parsed> parsed = parsed(entries);
        entries.forEach((field, json) -> {
            ServiceInstance instance = parsed.get(json).instance();
            if (problem(field, parsed.get(json), now) != null) {
                LOG.log(System.Logger.Level.WARNING, "ignoring presence entry {0}: {1}", field, json);
            } else if (instance.heartbeat().isBefore(cutoff)) {
                dead.put(field, json);
            } else if (instance.closedAt() == null) {
                live.add(instance);
            }
        });
        prune(dead);
        return sorted(live);
    }

    /** Each entry's text to the entry read from it, reusing what the last read already checked. */
    private Map<String, PresenceJson.Parsed> parsed(Map<String, String> entries) {
        Map<String, PresenceJson.Parsed> previous = lastRead;
        Map<String, PresenceJson.Parsed> parsed = new HashMap<>();
        for (String json : entries.values()) {
            PresenceJson.Parsed known = previous.get(json);
            parsed.put(json, known != null ? known : PresenceJson.read(json, keys.namespace()));
        }
        lastRead = parsed;
        return parsed;
    }

    /** Why the entry of {@code field} cannot be believed, or null if it can. */
    private static String problem(String field, PresenceJson.Parsed parsed, Instant now) {
        ServiceInstance instance = parsed.instance();
        if (instance == null) {
            return parsed.problem();
        }
        if (!instance.instance().equals(field)) {
            // the wait holds instances by the id in the entry: one under another's field would hide that one
            return "it claims to be instance '" + instance.instance() + "'";
        }
        return implausibility(instance, now);
    }

    /** Why {@code instance} cannot be believed, or null if it can. */
    static String implausibility(ServiceInstance instance, Instant now) {
        Instant latest = now.plus(CLOCK_TOLERANCE);
        if (instance.appliedVersion() < 0 || instance.appliedVersion() > MAX_VERSION) {
            return "applied version " + instance.appliedVersion() + " is out of range";
        }
        if (instance.heartbeat().isAfter(latest)) {
            return "heartbeat " + instance.heartbeat() + " is in the future";
        }
        if (instance.appliedAt() != null && instance.appliedAt().isAfter(latest)) {
            return "apply time " + instance.appliedAt() + " is in the future";
        }
        Duration interval = instance.heartbeatInterval();
        if (interval != null
                && (interval.isNegative() || interval.isZero() || interval.compareTo(LONGEST_INTERVAL) > 0)) {
            return "heartbeat interval " + interval + " is out of range";
        }
        return null;
    }

    /** The instance's own heartbeat interval, or the default for entries that do not state it. */
    static Duration interval(ServiceInstance instance) {
        return instance.heartbeatInterval() == null ? DEFAULT_HEARTBEAT_INTERVAL : instance.heartbeatInterval();
    }

    private void prune(Map<String, String> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            scripts.prune(entries);
        } catch (AccessDeniedException e) {
            // pruning is housekeeping: a user without scripts (the service role) still gets the list
            LOG.log(System.Logger.Level.DEBUG, "not pruning presence entries: {0}", e.getMessage());
        }
    }

    private static long parseVersion(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1; // not a version: every write is refused by Redis (INCR) until repaired
        }
    }

    private static List<ServiceInstance> sorted(List<ServiceInstance> instances) {
        instances.sort(Comparator.comparing(ServiceInstance::service).thenComparing(ServiceInstance::instance));
        return instances;
    }
}
