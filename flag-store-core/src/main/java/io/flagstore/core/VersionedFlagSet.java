package io.flagstore.core;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flag set of a local source, versioned like a store: each write increments the version and
 * stamps what it wrote with it, so clients receive the same kind of versioned {@link FlagUpdate}s
 * a Redis source delivers. Not thread-safe: the owning source serializes calls.
 */
final class VersionedFlagSet {
    private final String actor;
    private final Map<String, Flag> flags = new LinkedHashMap<>();
    private final Map<String, Segment> segments = new LinkedHashMap<>();
    private long version;

    VersionedFlagSet(String actor) {
        this.actor = actor;
    }

    long version() {
        return version;
    }

    Map<String, Flag> flags() {
        return flags;
    }

    FlagData data() {
        return new FlagData(version, flags, segments);
    }

    /**
     * Applies one write at the next version; deletes of absent keys are dropped. Returns {@code null}
     * (and keeps the version) when the write holds nothing.
     */
    FlagUpdate write(
            Collection<Flag> upserts,
            Collection<String> deletes,
            Collection<Segment> segmentUpserts,
            Collection<String> segmentDeletes,
            Instant now) {
        List<String> deleted =
                deletes.stream().filter(flags::containsKey).distinct().toList();
        List<String> deletedSegments =
                segmentDeletes.stream().filter(segments::containsKey).distinct().toList();
        if (upserts.isEmpty() && deleted.isEmpty() && segmentUpserts.isEmpty() && deletedSegments.isEmpty()) {
            return null;
        }
        long next = version + 1;
        List<Flag> stamped = new ArrayList<>();
        for (Flag flag : upserts) {
            Flag previous = flags.get(flag.key());
            Flag written = flag.toBuilder()
                    .createdAt(previous != null && previous.createdAt() != null ? previous.createdAt() : now)
                    .updatedAt(now)
                    .updatedBy(actor)
                    .version(next)
                    .build();
            flags.put(flag.key(), written);
            stamped.add(written);
        }
        List<Segment> stampedSegments = new ArrayList<>();
        for (Segment segment : segmentUpserts) {
            Segment written = segment.withVersion(next, now);
            segments.put(segment.key(), written);
            stampedSegments.add(written);
        }
        deleted.forEach(flags::remove);
        deletedSegments.forEach(segments::remove);
        version = next;
        return new FlagUpdate(next, stamped, deleted, stampedSegments, deletedSegments, now);
    }

    /** Replaces the whole set as one write holding only what differs; {@code null} if nothing does. */
    FlagUpdate replace(Collection<Flag> newFlags, Collection<Segment> newSegments, Instant now) {
        Map<String, Flag> flagsByKey = new LinkedHashMap<>();
        newFlags.forEach(flag -> flagsByKey.put(flag.key(), flag));
        Map<String, Segment> segmentsByKey = new LinkedHashMap<>();
        newSegments.forEach(segment -> segmentsByKey.put(segment.key(), segment));
        List<Flag> changed = flagsByKey.values().stream()
                .filter(flag -> !Definitions.same(flags.get(flag.key()), flag))
                .toList();
        List<Segment> changedSegments = segmentsByKey.values().stream()
                .filter(segment -> !Definitions.same(segments.get(segment.key()), segment))
                .toList();
        List<String> gone = flags.keySet().stream()
                .filter(key -> !flagsByKey.containsKey(key))
                .toList();
        List<String> goneSegments = segments.keySet().stream()
                .filter(key -> !segmentsByKey.containsKey(key))
                .toList();
        return write(changed, gone, changedSegments, goneSegments, now);
    }
}
