package io.flagstore.redis.internal;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * Turns the hashes a read returned into definitions, one key at a time: a hash that does not decode,
 * or a key that is not a hash at all, is one corrupt flag (or segment), counted, logged once per
 * version, and left out, so the rest of the namespace loads. It also knows which keys are corrupt
 * now, for the {@code flagstore.source.corrupt} gauge.
 *
 * <p>Not thread-safe (the updater thread's); decoding itself runs in parallel for large reads.
 */
final class HashDecoder {
    private static final System.Logger LOG = SourceLog.LOG;
    private static final int PARALLEL_DECODE = 1_000;
    private static final int MAX_REPORTED = 1_000;

    private static final Function<Map<String, String>, Flag> FLAG_CODEC = FlagHashCodec::fromFields;
    private static final Function<Map<String, String>, Segment> SEGMENT_CODEC = FlagHashCodec::segmentFromFields;

    private final String namespace;
    private final SourceMetrics metrics;
    private final Set<String> reported = new HashSet<>();
    private final Set<String> corrupt = new HashSet<>();

    HashDecoder(String namespace, SourceMetrics metrics) {
        this.namespace = namespace;
        this.metrics = metrics;
    }

    /** Flag hashes by key; {@code reusable} definitions of the write a hash holds are taken as they are. */
    Map<String, Flag> flags(Map<String, Map<String, String>> hashes, Map<String, Flag> reusable) {
        return decodeAll(hashes, "", FLAG_CODEC, Flag::key, Flag::version, Flag::updatedAt, reusable);
    }

    /** Segment hashes by key, like {@link #flags}. */
    Map<String, Segment> segments(Map<String, Map<String, String>> hashes, Map<String, Segment> reusable) {
        return decodeAll(
                hashes,
                KeySchema.DELETED_SEGMENT_PREFIX,
                SEGMENT_CODEC,
                Segment::key,
                Segment::version,
                Segment::updatedAt,
                reusable);
    }

    /**
     * {@code hash} (a flag's, or a segment's when {@code segment}) decoded now, for a read that
     * decodes each page as it arrives; an empty or unreadable hash as it is. {@link #flags} and
     * {@link #segments} take it from there (reporting, counting) without decoding it again.
     */
    static Map<String, String> decodeNow(Map<String, String> hash, boolean segment) {
        return hash.isEmpty() ? hash : new SyncResult.Decoded(hash, segment ? SEGMENT_CODEC : FLAG_CODEC);
    }

    /** A full load starts the count of corrupt keys afresh. */
    void forgetCorrupt() {
        corrupt.clear();
        metrics.corrupt(0);
    }

    /** A key deleted is no longer corrupt. */
    void deleted(String member) {
        if (corrupt.remove(member)) {
            metrics.corrupt(corrupt.size());
        }
    }

    private <T> Map<String, T> decodeAll(
            Map<String, Map<String, String>> hashes,
            String member,
            Function<Map<String, String>, T> codec,
            Function<T, String> keyOf,
            ToLongFunction<T> versionOf,
            Function<T, Instant> updatedAtOf,
            Map<String, T> reusable) {
        Map<String, T> good = new ConcurrentHashMap<>();
        Map<String, String> bad = new ConcurrentHashMap<>();
        Stream<Map.Entry<String, Map<String, String>>> entries = hashes.entrySet().stream();
        if (hashes.size() >= PARALLEL_DECODE) {
            entries = entries.parallel(); // a cold start of thousands of flags is dominated by this
        }
        entries.forEach(e -> {
            String key = e.getKey();
            Map<String, String> hash = e.getValue();
            T held = reusable.get(key);
            if (held != null && sameWrite(versionOf.applyAsLong(held), updatedAtOf.apply(held), hash)) {
                good.put(key, held);
                return;
            }
            if (hash instanceof SyncResult.Unreadable unreadable) {
                bad.put(key, "not a hash (" + unreadable.problem() + ")");
                return;
            }
            try {
                @SuppressWarnings("unchecked") // decoded by the same codec
                T item = hash instanceof SyncResult.Decoded decoded ? (T) decoded.item() : codec.apply(hash);
                if (!keyOf.apply(item).equals(key)) {
                    throw new IllegalArgumentException("the hash holds key '" + keyOf.apply(item) + "'");
                }
                good.put(keyOf.apply(item), item); // the item's own copy of the key: one per flag is held
            } catch (RuntimeException ex) {
                boolean missing = hash.isEmpty() && !(hash instanceof SyncResult.Decoded);
                bad.put(key, missing ? "the hash is missing" : String.valueOf(ex.getMessage()));
            }
        });
        good.keySet().forEach(key -> corrupt.remove(member + key));
        bad.forEach((key, problem) -> report(member + key, hashes.get(key).get("version"), problem));
        metrics.corrupt(corrupt.size());
        return new HashMap<>(good);
    }

    /**
     * Whether {@code hash} holds the write a definition at {@code version}, written at {@code
     * updatedAt}, came from: the version alone is not enough after a failover, which may put another
     * write under a version this client applied.
     */
    static boolean sameWrite(long version, Instant updatedAt, Map<String, String> hash) {
        String at = hash.get("updatedAt");
        try {
            return Long.toString(version).equals(hash.get("version"))
                    && updatedAt != null
                    && at != null
                    && Instant.parse(at).equals(updatedAt);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private void report(String member, String version, String problem) {
        metrics.error(SourceMetrics.ErrorKind.FLAG);
        corrupt.add(member);
        if (reported.size() > MAX_REPORTED) {
            reported.clear();
        }
        if (reported.add(member + "@" + version)) {
            LOG.log(
                    Level.WARNING,
                    "ignoring corrupt '" + member + "' in namespace '" + namespace + "' (version " + version
                            + "); keeping its last good definition if this service had one: " + problem);
        }
    }
}
