package io.flagstore.core.spi;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import java.time.Instant;
import java.util.List;

/**
 * One write (or atomic batch) as delivered incrementally by a {@link FlagSource}; applied whole.
 * Upserts carry their own versions; an upsert or delete older than what the client holds for that
 * key is ignored, and deletes leave tombstones at {@code version} so a late message cannot
 * resurrect a flag.
 *
 * @param version the namespace version of the write
 * @param flags flags created or changed
 * @param deletedFlags keys of flags deleted
 * @param segments segments created or changed
 * @param deletedSegments keys of segments deleted
 * @param writtenAt when the write happened (for propagation lag), or {@code null} when unknown
 */
public record FlagUpdate(
        long version,
        List<Flag> flags,
        List<String> deletedFlags,
        List<Segment> segments,
        List<String> deletedSegments,
        Instant writtenAt) {
    public FlagUpdate {
        flags = List.copyOf(flags);
        deletedFlags = List.copyOf(deletedFlags);
        segments = List.copyOf(segments);
        deletedSegments = List.copyOf(deletedSegments);
    }
}
