package io.flagstore.redis;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import io.flagstore.redis.internal.FlagHashCodec;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RedisServerExtension;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** What Redis holds for a namespace, read directly (not through the code under test's reader). */
final class RedisTruth {
    private RedisTruth() {}

    /** Namespace version. */
    static long version(RedisServerExtension redis, String namespace) {
        return version(redis::execute, namespace);
    }

    /** Runs one command on a Redis node (e.g. {@code RedisServer::execute}). */
    @FunctionalInterface
    interface Commands {
        Object execute(String... command);
    }

    /** Namespace version on one node (e.g. of a replicated setup). */
    static long version(Commands redis, String namespace) {
        Object v = redis.execute("GET", KeySchema.of(namespace).version());
        return v == null ? 0 : Long.parseLong((String) v);
    }

    /** Every flag of the namespace, decoded from its hash. */
    static Map<String, Flag> flags(RedisServerExtension redis, String namespace) {
        return flags(redis::execute, namespace);
    }

    /** Every flag of the namespace on one node, decoded from its hash. */
    static Map<String, Flag> flags(Commands redis, String namespace) {
        KeySchema keys = KeySchema.of(namespace);
        return decoded(redis, keys.flags(), keys::flag, FlagHashCodec::fromFields);
    }

    /** Every segment of the namespace, decoded from its hash. */
    static Map<String, Segment> segments(RedisServerExtension redis, String namespace) {
        KeySchema keys = KeySchema.of(namespace);
        return decoded(redis::execute, keys.segments(), keys::segment, FlagHashCodec::segmentFromFields);
    }

    private static <T> Map<String, T> decoded(
            Commands redis, String index, UnaryOperator<String> hashKey, Function<Map<String, String>, T> codec) {
        Map<String, T> out = new HashMap<>();
        for (Object key : (List<?>) redis.execute("ZRANGE", index, "0", "-1")) {
            List<?> fields = (List<?>) redis.execute("HGETALL", hashKey.apply((String) key));
            Map<String, String> hash = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i += 2) {
                hash.put((String) fields.get(i), (String) fields.get(i + 1));
            }
            out.put((String) key, codec.apply(hash));
        }
        return out;
    }
}
