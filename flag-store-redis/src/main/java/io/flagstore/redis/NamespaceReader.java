package io.flagstore.redis;

import io.flagstore.redis.internal.KeySchema;
import io.lettuce.core.RedisFuture;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads what the namespace says about itself: version, epoch, counts, the server, subscribers, and
 * the usage hash.
 *
 * <p>Thread-safe.
 */
final class NamespaceReader {
    private static final System.Logger LOG = System.getLogger(NamespaceReader.class.getName());

    private final AdminRedis redis;

    NamespaceReader(AdminRedis redis) {
        this.redis = redis;
    }

    /** Version, epoch, counts, Redis version and subscriber count of the namespace. */
    NamespaceInfo info() {
        KeySchema keys = redis.keys();
        RedisFuture<String> version = redis.async().get(keys.version());
        RedisFuture<Map<String, String>> meta = redis.async().hgetall(keys.meta());
        RedisFuture<Long> flagCount = redis.async().zcard(keys.flags());
        RedisFuture<Long> segmentCount = redis.async().zcard(keys.segments());
        RedisFuture<String> server = redis.async().info("server");
        RedisFuture<Map<String, Long>> subscribers = redis.connection().subscribers(keys.changes());
        Map<String, String> m = redis.await("HGETALL", meta);
        String redisVersion = serverVersion(server);
        String createdAt = m.get(KeySchema.META_CREATED_AT);
        return new NamespaceInfo(
                keys.namespace(),
                parseLong(redis.await("GET", version)),
                m.get(KeySchema.META_EPOCH),
                createdAt == null ? null : Instant.parse(createdAt),
                redis.await("ZCARD", flagCount),
                redis.await("ZCARD", segmentCount),
                parseLong(m.get(KeySchema.META_DELETED_TRIMMED_TO)),
                redisVersion,
                redis.await("PUBSUB", subscribers).getOrDefault(keys.changes(), 0L),
                m.get(KeySchema.META_ORIGIN));
    }

    /** {@code redis_version} from INFO; "unknown" for a user without INFO (the service role). */
    private String serverVersion(RedisFuture<String> info) {
        try {
            return redis.await("INFO", info)
                    .lines()
                    .filter(line -> line.startsWith("redis_version:"))
                    .map(line -> line.substring("redis_version:".length()).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (AccessDeniedException e) {
            return "unknown";
        }
    }

    /** When each flag was last evaluated, by service (see {@link FlagAdmin#usage()}). */
    Map<String, Map<String, Instant>> usage() {
        Map<String, String> entries =
                redis.call("HGETALL", () -> redis.sync().hgetall(redis.keys().usage()));
        Map<String, Map<String, Instant>> usage = new TreeMap<>();
        entries.forEach((field, millis) -> {
            int separator = field.indexOf(KeySchema.USAGE_SEPARATOR);
            if (separator > 0 && millis.matches("[0-9]{1,18}")) {
                usage.computeIfAbsent(field.substring(0, separator), k -> new TreeMap<>())
                        .put(field.substring(separator + 1), Instant.ofEpochMilli(Long.parseLong(millis)));
            } else {
                LOG.log(System.Logger.Level.WARNING, "ignoring unreadable usage entry {0}: {1}", field, millis);
            }
        });
        return usage;
    }

    private static long parseLong(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }
}
