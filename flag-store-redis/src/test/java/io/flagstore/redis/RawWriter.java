package io.flagstore.redis;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.redis.internal.ChangeMessage;
import io.flagstore.redis.internal.FlagHashCodec;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RedisServerExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the Redis layout by hand, for fault injection: a write that bumps the version without
 * publishing (a lost message), garbage on the channel, a hash edited into nonsense. Normal writes go
 * through {@link FlagAdmin}.
 */
final class RawWriter {
    // KEYS: version, meta, flags, deleted, hash
    // ARGV: epoch, key, publish (1/0), channel, body, ts (ms), fields... (updatedAt included)
    private static final String PUT =
            """
            local v = redis.call('INCR', KEYS[1])
            redis.call('HSETNX', KEYS[2], 'epoch', ARGV[1])
            local epoch = redis.call('HGET', KEYS[2], 'epoch')
            local ts = ARGV[6]
            redis.call('DEL', KEYS[5])
            redis.call('HSET', KEYS[5], 'version', v, unpack(ARGV, 7))
            redis.call('ZADD', KEYS[3], v, ARGV[2])
            redis.call('ZREM', KEYS[4], ARGV[2])
            if ARGV[3] == '1' then
              redis.call('PUBLISH', ARGV[4], '{"v":' .. v .. ',"epoch":"' .. epoch .. '","ts":' .. ts .. ',' .. ARGV[5])
            end
            return v
            """;

    private final RedisServerExtension redis;
    private final KeySchema keys;

    RawWriter(RedisServerExtension redis, String namespace) {
        this.redis = redis;
        this.keys = KeySchema.of(namespace);
    }

    /** Upserts {@code flag} (its version is replaced), publishing or not; returns the new version. */
    long put(Flag flag, boolean publish) {
        return (Long) redis.execute(putCommand(flag, publish));
    }

    /** The command of {@link #put}, for {@link RedisServerExtension#executeAtomically}. */
    String[] putCommand(Flag flag, boolean publish) {
        long ts = System.currentTimeMillis();
        Map<String, String> fields = FlagHashCodec.toFields(flag);
        fields.remove("version");
        fields.put("updatedAt", Instant.ofEpochMilli(ts).toString());
        String body =
                ChangeMessage.body("update", null, List.of(FlagJson.toTree(flag)), List.of(), List.of(), List.of());
        List<String> args = new ArrayList<>(List.of(
                "EVAL",
                PUT,
                "5",
                keys.version(),
                keys.meta(),
                keys.flags(),
                keys.deleted(),
                keys.flag(flag.key()),
                UUID.randomUUID().toString(),
                flag.key(),
                publish ? "1" : "0",
                keys.changes(),
                body,
                Long.toString(ts)));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return args.toArray(String[]::new);
    }

    /** Publishes {@code payload} as is on the change channel. */
    void publish(String payload) {
        redis.execute("PUBLISH", keys.changes(), payload);
    }

    /** Sets one field of a flag's hash, with no version change and no message (a hand edit). */
    void editField(String key, String field, String value) {
        redis.execute("HSET", keys.flag(key), field, value);
    }

    /** Bumps the namespace version and the flag's index score without publishing (so catch-up fetches it). */
    long touchWithoutPublishing(String key) {
        long v = (Long) redis.execute("INCR", keys.version());
        redis.execute("HSET", keys.flag(key), "version", Long.toString(v));
        redis.execute("ZADD", keys.flags(), Long.toString(v), key);
        return v;
    }

    KeySchema keys() {
        return keys;
    }
}
