package io.flagstore.redis.internal;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A full load or catch-up as read by {@link PagedSync} (one step: the reply of {@code
 * source-sync.lua}): the namespace head plus raw hashes, decoded by the caller so that one corrupt
 * hash spoils only its own flag.
 *
 * @param version the namespace version (0 when the namespace does not exist)
 * @param epoch the namespace epoch ({@code ""} when {@code meta} is missing)
 * @param deletedTrimmedTo the highest version trimmed from the deletion log
 * @param full whether this is a complete set (a full load) rather than the changes since a version
 * @param flags flag key to raw hash fields (empty when the hash is missing, an {@link Unreadable} when
 *     the key is not a hash)
 * @param segments segment key to raw hash fields
 * @param deletedFlags flag keys deleted since the requested version (not live again)
 * @param deletedSegments segment keys deleted since the requested version
 * @param deleteVersions the version of each delete, by its member in the deletion log (a flag key, or
 *     {@code segment:<key>})
 * @param origin how the epoch was created: {@link KeySchema#ORIGIN_SEED}, {@link
 *     KeySchema#ORIGIN_WRITE}, or {@code ""} when not recorded
 */
public record SyncResult(
        long version,
        String epoch,
        long deletedTrimmedTo,
        boolean full,
        Map<String, Map<String, String>> flags,
        Map<String, Map<String, String>> segments,
        List<String> deletedFlags,
        List<String> deletedSegments,
        Map<String, Long> deleteVersions,
        String origin) {

    /** The place of a key that is not a hash: no fields, and the error Redis gave for reading it as one. */
    public static final class Unreadable extends AbstractMap<String, String> {
        private final String problem;

        Unreadable(String problem) {
            this.problem = problem;
        }

        /** Redis's error text ({@code WRONGTYPE ...}). */
        public String problem() {
            return problem;
        }

        @Override
        public java.util.Set<Entry<String, String>> entrySet() {
            return java.util.Set.of();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unreadable other && other.problem.equals(problem);
        }

        @Override
        public int hashCode() {
            return problem.hashCode();
        }
    }

    /** Decodes the script's reply (its first eight elements). */
    public static SyncResult parse(List<Object> reply) {
        List<String> deletedFlags = new ArrayList<>();
        List<String> deletedSegments = new ArrayList<>();
        Map<String, Long> deleteVersions = new LinkedHashMap<>();
        List<?> deleted = (List<?>) reply.get(6);
        for (int i = 0; i < deleted.size(); i += 2) {
            String member = (String) deleted.get(i);
            deleteVersions.put(member, Long.parseLong((String) deleted.get(i + 1)));
            if (member.startsWith(KeySchema.DELETED_SEGMENT_PREFIX)) {
                deletedSegments.add(member.substring(KeySchema.DELETED_SEGMENT_PREFIX.length()));
            } else {
                deletedFlags.add(member);
            }
        }
        return new SyncResult(
                (Long) reply.get(0),
                (String) reply.get(1),
                (Long) reply.get(2),
                (Long) reply.get(3) == 1L,
                hashes((List<?>) reply.get(4)),
                hashes((List<?>) reply.get(5)),
                deletedFlags,
                deletedSegments,
                deleteVersions,
                (String) reply.get(7));
    }

    private static Map<String, Map<String, String>> hashes(List<?> items) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>(items.size());
        for (int i = 0; i < items.size(); i += 2) {
            out.put((String) items.get(i), hash(items.get(i + 1)));
        }
        return out;
    }

    /** Decodes one {@code HGETALL} reply ({@code field, value, ...}), or the error text for a key of another type. */
    static Map<String, String> hash(Object reply) {
        if (reply instanceof String problem) {
            return new Unreadable(problem);
        }
        List<?> fields = (List<?>) reply;
        Map<String, String> hash = new LinkedHashMap<>(fields.size() / 2 * 2);
        for (int f = 0; f < fields.size(); f += 2) {
            hash.put((String) fields.get(f), (String) fields.get(f + 1));
        }
        return hash;
    }
}
