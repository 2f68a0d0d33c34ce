package io.flagstore.redis;

import io.flagstore.core.model.Flag;
import io.flagstore.redis.internal.FlagHashCodec;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RedisServer;
import io.flagstore.redis.testing.RedisServerExtension;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What Redis holds for a namespace, read directly (not through the code under test's reader). */
final class RedisTruth {
    private RedisTruth() {}

    /** Namespace version. */
    static long version(RedisServerExtension redis, String namespace) {
        return version(redis::execute, namespace);
    }

    /** Namespace version on {@code redis} (e.g. one node of a replicated setup). */
    static long version(RedisServer redis, String namespace) {
        return version(redis::execute, namespace);
    }

    /** Namespace version, read with {@code redis} (a command in, its reply out). */
    static long version(Function<String[], Object> redis, String namespace) {
        Object v = redis.apply(new String[] {"GET", KeySchema.of(namespace).version()});
        return v == null ? 0 : Long.parseLong((String) v);
    }

    /** Every flag of the namespace, decoded from its hash. */
    static Map<String, Flag> flags(RedisServerExtension redis, String namespace) {
        return flags(redis::execute, namespace);
    }

    /** Every flag of the namespace on {@code redis}, decoded from its hash. */
    static Map<String, Flag> flags(RedisServer redis, String namespace) {
        return flags(redis::execute, namespace);
    }

    /** Every flag of the namespace, decoded from its hash, read with {@code redis}. */
    static Map<String, Flag> flags(Function<String[], Object> redis, String namespace) {
        KeySchema keys = KeySchema.of(namespace);
        Map<String, Flag> out = new HashMap<>();
        for (Object key : (List<?>) redis.apply(new String[] {"ZRANGE", keys.flags(), "0", "-1"})) {
            List<?> fields = (List<?>) redis.apply(new String[] {"HGETALL", keys.flag((String) key)});
            Map<String, String> hash = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i += 2) {
                hash.put((String) fields.get(i), (String) fields.get(i + 1));
            }
            out.put((String) key, FlagHashCodec.fromFields(hash));
        }
        return out;
    }
}
