package io.flagstore.redis;

import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import io.flagstore.redis.internal.FlagHashCodec;
import io.flagstore.redis.internal.KeySchema;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Reads flags and segments from their hashes. A key that cannot be read (another Redis type than a
 * hash, a field that does not decode) is reported as a {@link CorruptKey} of its own, so one bad key
 * never fails a read of the namespace and never looks like an unreachable Redis.
 *
 * <p>Thread-safe.
 */
final class StoreReader implements ReferenceCheck.Store {
    private static final System.Logger LOG = System.getLogger(StoreReader.class.getName());

    /** A key's stored state: its index version, and its decoded value (null if absent or corrupt). */
    record Stored(boolean exists, long version, Flag flag, Segment segment) {}

    /** Every flag and segment, the readable ones sorted by key. */
    record Snapshot(Map<String, Flag> flags, Map<String, Segment> segments, List<CorruptKey> corrupt) {}

    /** One hash as read: its fields, or why they cannot be had. */
    private record HashRead(Map<String, String> fields, String problem) {}

    private final AdminRedis redis;
    private final KeySchema keys;

    StoreReader(AdminRedis redis) {
        this.redis = redis;
        this.keys = redis.keys();
    }

    /** The flag stored under {@code key}; {@link InvalidFlagException} if it cannot be read. */
    Optional<Flag> flag(String key) {
        return Optional.ofNullable(storedFlag(key).flag());
    }

    /**
     * Flag {@code key} with its index version, hash and score read in one round trip (what a
     * read-modify-write then writes against); {@link InvalidFlagException} if it cannot be read.
     */
    Stored storedFlag(String key) {
        RedisFuture<Map<String, String>> hash = redis.async().hgetall(keys.flag(key));
        RedisFuture<Double> score = redis.async().zscore(keys.flags(), key);
        HashRead read = read(keys.flag(key), hash);
        Double indexed = redis.await("ZSCORE", score);
        if (read.problem != null) {
            throw new InvalidFlagException(List.of(read.problem));
        }
        long version = indexed == null ? 0 : indexed.longValue();
        return read.fields.isEmpty()
                ? new Stored(indexed != null, version, null, null)
                : new Stored(true, version, decodeFlag(key, read.fields), null);
    }

    /** The segment stored under {@code key}; {@link InvalidFlagException} if it cannot be read. */
    Optional<Segment> segment(String key) {
        HashRead read = read(keys.segment(key), redis.async().hgetall(keys.segment(key)));
        if (read.problem != null) {
            throw new InvalidFlagException(List.of(read.problem));
        }
        return read.fields.isEmpty() ? Optional.empty() : Optional.of(decodeSegment(key, read.fields));
    }

    /** Every flag and segment in the indexes (hashes read pipelined). */
    @Override
    public Snapshot all() {
        List<ScoredValue<String>> flagKeys =
                redis.call("ZRANGE", () -> redis.sync().zrangeWithScores(keys.flags(), 0, -1));
        List<ScoredValue<String>> segmentKeys =
                redis.call("ZRANGE", () -> redis.sync().zrangeWithScores(keys.segments(), 0, -1));
        Map<String, RedisFuture<Map<String, String>>> flagHashes = new TreeMap<>();
        flagKeys.forEach(k -> flagHashes.put(k.getValue(), redis.async().hgetall(keys.flag(k.getValue()))));
        Map<String, RedisFuture<Map<String, String>>> segmentHashes = new TreeMap<>();
        segmentKeys.forEach(k -> segmentHashes.put(k.getValue(), redis.async().hgetall(keys.segment(k.getValue()))));
        Map<String, Long> flagVersions = versions(flagKeys);
        Map<String, Long> segmentVersions = versions(segmentKeys);
        Map<String, Flag> flags = new LinkedHashMap<>();
        Map<String, Segment> segments = new LinkedHashMap<>();
        List<CorruptKey> corrupt = new ArrayList<>();
        flagHashes.forEach((k, f) -> {
            HashRead read = read(keys.flag(k), f);
            Flag flag = decoded(read, "flag", k, flagVersions.get(k), fields -> decodeFlag(k, fields), corrupt);
            if (flag != null) {
                flags.put(k, flag);
            }
        });
        segmentHashes.forEach((k, f) -> {
            HashRead read = read(keys.segment(k), f);
            Segment segment =
                    decoded(read, "segment", k, segmentVersions.get(k), fields -> decodeSegment(k, fields), corrupt);
            if (segment != null) {
                segments.put(k, segment);
            }
        });
        return new Snapshot(flags, segments, corrupt);
    }

    @Override
    public Map<String, Flag> indexedFlags(Collection<String> flagKeys) {
        return indexed("flag", flagKeys, keys::flag, keys.flags(), this::decodeFlag);
    }

    @Override
    public Map<String, Segment> indexedSegments(Collection<String> segmentKeys) {
        return indexed("segment", segmentKeys, keys::segment, keys.segments(), this::decodeSegment);
    }

    /**
     * The items among {@code itemKeys} that {@link #all()} would return: indexed, with a readable
     * hash (hashes and index scores read pipelined).
     */
    private <T> Map<String, T> indexed(
            String kind,
            Collection<String> itemKeys,
            UnaryOperator<String> hashKey,
            String index,
            BiFunction<String, Map<String, String>, T> decoder) {
        Map<String, RedisFuture<Map<String, String>>> hashes = new TreeMap<>();
        Map<String, RedisFuture<Double>> scores = new TreeMap<>();
        for (String k : itemKeys) {
            hashes.put(k, redis.async().hgetall(hashKey.apply(k)));
            scores.put(k, redis.async().zscore(index, k));
        }
        Map<String, T> out = new TreeMap<>();
        hashes.forEach((k, f) -> {
            HashRead read = read(hashKey.apply(k), f);
            Double score = redis.await("ZSCORE", scores.get(k));
            T item = decoded(
                    read,
                    kind,
                    k,
                    score == null ? null : score.longValue(),
                    fields -> decoder.apply(k, fields),
                    new ArrayList<>());
            if (score != null && item != null) {
                out.put(k, item);
            }
        });
        return out;
    }

    @Override
    public Optional<Set<String>> dependents(Collection<String> flagKeys) {
        RedisFuture<Double> complete = redis.async().zscore(keys.dependents(), KeySchema.DEPENDENTS_COMPLETE);
        List<RedisFuture<List<String>>> ranges = new ArrayList<>();
        for (String k : flagKeys) {
            // members '<k>|<dependent>': the next character after the separator bounds the range
            ranges.add(redis.async()
                    .zrangebylex(
                            keys.dependents(),
                            Range.from(
                                    Range.Boundary.including(k + KeySchema.DEPENDENT_SEPARATOR),
                                    Range.Boundary.excluding(k + (char) (KeySchema.DEPENDENT_SEPARATOR + 1)))));
        }
        boolean indexComplete = redis.await("ZSCORE", complete) != null;
        Set<String> out = new TreeSet<>();
        for (RedisFuture<List<String>> range : ranges) {
            redis.await("ZRANGEBYLEX", range)
                    .forEach(member -> out.add(member.substring(member.indexOf(KeySchema.DEPENDENT_SEPARATOR) + 1)));
        }
        return indexComplete ? Optional.of(out) : Optional.empty();
    }

    /** What each change's key holds now: index version and decoded value (null when corrupt). */
    List<Stored> current(List<Change> changes) {
        List<RedisFuture<Map<String, String>>> hashes = new ArrayList<>();
        List<RedisFuture<Double>> scores = new ArrayList<>();
        for (Change c : changes) {
            hashes.add(redis.async().hgetall(hashKey(c)));
            scores.add(redis.async().zscore(c.segment() ? keys.segments() : keys.flags(), c.key()));
        }
        List<Stored> out = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            HashRead read = read(hashKey(c), hashes.get(i));
            Double score = redis.await("ZSCORE", scores.get(i));
            long version = score == null ? 0 : score.longValue();
            if (read.problem != null || read.fields.isEmpty()) {
                // a key of another type is there (and will be replaced); an empty hash is not
                out.add(new Stored(score != null || read.problem != null, version, null, null));
                continue;
            }
            Flag flag = null;
            Segment segment = null;
            try {
                if (c.segment()) {
                    segment = decodeSegment(c.key(), read.fields);
                } else {
                    flag = decodeFlag(c.key(), read.fields);
                }
            } catch (InvalidFlagException e) {
                // an invalid stored value may be overwritten or deleted; its audit "before" is left out
                LOG.log(System.Logger.Level.WARNING, "replacing an invalid stored value: {0}", e.getMessage());
            }
            out.add(new Stored(true, version, flag, segment));
        }
        return out;
    }

    private String hashKey(Change c) {
        return c.segment() ? keys.segment(c.key()) : keys.flag(c.key());
    }

    private HashRead read(String redisKey, RedisFuture<Map<String, String>> future) {
        try {
            return new HashRead(redis.await("HGETALL", future), null);
        } catch (StoreUnavailableException e) {
            if (wrongType(e)) {
                return new HashRead(Map.of(), "the key " + redisKey + " is not a hash (WRONGTYPE)");
            }
            throw e;
        }
    }

    /** Whether {@code e} is Redis's WRONGTYPE reply: the key holds another type than the command needs. */
    static boolean wrongType(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisCommandExecutionException
                    && t.getMessage() != null
                    && t.getMessage().startsWith("WRONGTYPE")) {
                return true;
            }
        }
        return false;
    }

    private interface Decoder<T> {
        T decode(Map<String, String> fields);
    }

    private static <T> T decoded(
            HashRead read, String kind, String key, Long version, Decoder<T> decoder, List<CorruptKey> corrupt) {
        long indexed = version == null ? 0 : version;
        if (read.problem != null) {
            corrupt.add(new CorruptKey(kind, key, indexed, List.of(read.problem)));
            return null;
        }
        if (read.fields.isEmpty()) {
            return null; // deleted between the index read and the hash read
        }
        try {
            return decoder.decode(read.fields);
        } catch (InvalidFlagException e) {
            LOG.log(System.Logger.Level.WARNING, "unreadable {0}", e.getMessage());
            corrupt.add(new CorruptKey(kind, key, indexed, e.problems()));
            return null;
        }
    }

    private static Map<String, Long> versions(List<ScoredValue<String>> index) {
        Map<String, Long> out = new TreeMap<>();
        index.forEach(v -> out.put(v.getValue(), (long) v.getScore()));
        return out;
    }

    Flag decodeFlag(String key, Map<String, String> fields) {
        try {
            return FlagHashCodec.fromFields(fields);
        } catch (InvalidFlagException e) {
            throw stored("flag", keys.flag(key), e);
        }
    }

    Segment decodeSegment(String key, Map<String, String> fields) {
        try {
            return FlagHashCodec.segmentFromFields(fields);
        } catch (InvalidFlagException e) {
            throw stored("segment", keys.segment(key), e);
        }
    }

    private static InvalidFlagException stored(String what, String redisKey, InvalidFlagException e) {
        return new InvalidFlagException(e.problems().stream()
                .map(p -> "stored " + what + " " + redisKey + ": " + p)
                .toList());
    }
}
