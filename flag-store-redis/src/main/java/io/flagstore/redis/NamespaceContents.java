package io.flagstore.redis;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import io.flagstore.redis.internal.FleetDigest;
import java.util.List;

/**
 * Everything a namespace holds, as read by {@link FlagAdmin#contents()}: the readable flags and
 * segments, each sorted by key, and the keys that could not be read.
 *
 * @param flags the readable flags
 * @param segments the readable segments
 * @param corrupt the unreadable flags and segments (empty when all is well)
 */
public record NamespaceContents(List<Flag> flags, List<Segment> segments, List<CorruptKey> corrupt) {
    public NamespaceContents {
        flags = List.copyOf(flags);
        segments = List.copyOf(segments);
        corrupt = List.copyOf(corrupt);
    }

    /**
     * The digest of the readable flags, 16 hex digits: what a service instance serving exactly
     * these flags reports in its presence entry ({@link ServiceInstance#digest()}). Only comparable
     * when nothing is {@link #corrupt()} and the instance is at the version these were read at.
     */
    public String flagsDigest() {
        return FleetDigest.hex(FleetDigest.of(flags));
    }
}
