package io.flagstore.redis.internal;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
 *     the key is not a hash, a {@link Decoded} when the read decoded it as it arrived)
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

    /**
     * A hash decoded as soon as its page arrived, so that a load never holds a namespace of raw
     * fields: the definition (or why it does not decode) and, of the fields, only the two the read's
     * checks compare ({@code version}, {@code updatedAt}).
     */
    public static final class Decoded extends AbstractMap<String, String> {
        private static final String VERSION = "version";
        private static final String UPDATED_AT = "updatedAt";

        private final String version;
        private final String updatedAt;
        private final Object item;
        private final String problem;

        /** {@code hash} (not empty) decoded by {@code codec}. */
        Decoded(Map<String, String> hash, Function<Map<String, String>, ?> codec) {
            this.version = hash.get(VERSION);
            this.updatedAt = hash.get(UPDATED_AT);
            Object decoded = null;
            String why = null;
            try {
                decoded = codec.apply(hash);
            } catch (RuntimeException e) {
                why = String.valueOf(e.getMessage());
            }
            this.item = decoded;
            this.problem = why;
        }

        /**
         * The definition.
         *
         * @throws IllegalArgumentException naming why the hash does not decode
         */
        Object item() {
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            return item;
        }

        @Override
        public String get(Object field) {
            return VERSION.equals(field) ? version : UPDATED_AT.equals(field) ? updatedAt : null;
        }

        @Override
        public java.util.Set<Entry<String, String>> entrySet() {
            Map<String, String> kept = new LinkedHashMap<>();
            if (version != null) {
                kept.put(VERSION, version);
            }
            if (updatedAt != null) {
                kept.put(UPDATED_AT, updatedAt);
            }
            return java.util.Collections.unmodifiableMap(kept).entrySet();
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
