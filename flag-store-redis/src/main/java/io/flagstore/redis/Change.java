package io.flagstore.redis;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;

/**
 * One item of a write: an upsert or delete of a flag or segment, with its compare-and-set
 * expectation.
 *
 * @param segment whether the item is a segment (else a flag)
 * @param key the flag or segment key
 * @param flag the new flag, or {@code null} (segment item or delete)
 * @param newSegment the new segment, or {@code null} (flag item or delete)
 * @param expected the version the key must have (0: must not exist), or {@code null} for the
 *     version read just before writing
 * @param explicit whether a conflict goes to the caller as-is (else the write is re-planned)
 * @param mustExist whether a missing key is a {@code FlagNotFoundException} (always for deletes)
 */
record Change(
        boolean segment,
        String key,
        Flag flag,
        Segment newSegment,
        Long expected,
        boolean explicit,
        boolean mustExist) {
    static Change putFlag(Flag flag, Long expected, boolean explicit) {
        return new Change(false, flag.key(), flag, null, expected, explicit, false);
    }

    static Change deleteFlag(String key, Long expected, boolean explicit) {
        return new Change(false, key, null, null, expected, explicit, true);
    }

    static Change putSegment(Segment segment, Long expected, boolean explicit) {
        return new Change(true, segment.key(), null, segment, expected, explicit, false);
    }

    static Change deleteSegment(String key, Long expected, boolean explicit) {
        return new Change(true, key, null, null, expected, explicit, true);
    }

    Change withFlag(Flag newFlag) {
        return new Change(segment, key, newFlag, newSegment, expected, explicit, mustExist);
    }

    Change withSegment(Segment replacement) {
        return new Change(segment, key, flag, replacement, expected, explicit, mustExist);
    }

    /** This change, failing with {@code FlagNotFoundException} when the key does not exist. */
    Change requiringExisting() {
        return new Change(segment, key, flag, newSegment, expected, explicit, true);
    }

    boolean isDelete() {
        return flag == null && newSegment == null;
    }

    /** The key as reported in results and the audit stream: segments as {@code segment:<key>}. */
    String displayKey() {
        return segment ? "segment:" + key : key;
    }
}
