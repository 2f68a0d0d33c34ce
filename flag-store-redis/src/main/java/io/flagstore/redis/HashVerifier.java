package io.flagstore.redis;

import io.flagstore.redis.internal.HashChecksum;
import io.flagstore.redis.internal.KeySchema;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks every stored flag and segment hash against what the write that stored it recorded: its
 * {@code version} field must equal its version in the index, and its {@link HashChecksum checksum}
 * must match its fields. A hash edited by hand without a write fails one of them; services may
 * then serve different definitions at the same version. Unreadable keys are reported too.
 *
 * <p>Thread-safe.
 */
final class HashVerifier {
    private final AdminRedis redis;
    private final StoreReader reader;
    private final KeySchema keys;

    HashVerifier(AdminRedis redis, StoreReader reader) {
        this.redis = redis;
        this.reader = reader;
        this.keys = redis.keys();
    }

    List<CorruptKey> verify() {
        List<CorruptKey> found = new ArrayList<>(reader.all().corrupt());
        List<String> unreadable = found.stream().map(CorruptKey::displayKey).toList();
        check("flag", redis.keys().flags(), keys::flag, unreadable, found);
        check("segment", redis.keys().segments(), keys::segment, unreadable, found);
        return found;
    }

    private interface HashKey {
        String of(String key);
    }

    private void check(String kind, String index, HashKey hashKey, List<String> unreadable, List<CorruptKey> found) {
        List<ScoredValue<String>> indexed =
                redis.call("ZRANGE", () -> redis.sync().zrangeWithScores(index, 0, -1));
        Map<String, RedisFuture<Map<String, String>>> hashes = new TreeMap<>();
        Map<String, Long> versions = new TreeMap<>();
        for (ScoredValue<String> v : indexed) {
            CorruptKey probe = new CorruptKey(kind, v.getValue(), 0, List.of());
            if (!unreadable.contains(probe.displayKey())) {
                hashes.put(v.getValue(), redis.async().hgetall(hashKey.of(v.getValue())));
                versions.put(v.getValue(), (long) v.getScore());
            }
        }
        hashes.forEach((key, future) -> {
            Map<String, String> fields = redis.await("HGETALL", future);
            long version = versions.get(key);
            List<String> problems = new ArrayList<>();
            if (fields.isEmpty()) {
                problems.add("indexed at version " + version + " but the hash " + hashKey.of(key) + " is missing");
            } else {
                if (!Long.toString(version).equals(fields.get("version"))) {
                    problems.add("field version is " + fields.get("version") + " but the index says " + version);
                }
                String stored = fields.get(HashChecksum.FIELD);
                if (stored == null) {
                    problems.add("no checksum: written by another tool or before checksums were stored");
                } else if (!HashChecksum.matches(fields, stored)) {
                    problems.add("fields changed after version " + version
                            + " was written (checksum mismatch): edited by hand without a write");
                }
            }
            if (!problems.isEmpty()) {
                found.add(new CorruptKey(kind, key, version, problems));
            }
        });
    }
}
