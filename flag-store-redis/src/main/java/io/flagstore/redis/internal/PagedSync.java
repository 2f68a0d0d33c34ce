package io.flagstore.redis.internal;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Reads a full load or a catch-up as a sequence of small read-only scripts, so that none comes near
 * the command timeout and Redis interleaves other clients' commands between them: a fleet starting
 * at once then shares Redis instead of queueing whole-namespace replies behind each other
 * (docs/redis-layout.md, "The source's scripts").
 *
 * <p>Each step is one atomic {@code source-sync.lua} call at some namespace version V: the head
 * (version, epoch, origin), deletes since the version asked for, the hashes of the first page of
 * keys written since then (every key for a full load) and the rest of those keys by name. Those are
 * read by name, a page per {@code source-page.lua} call, and the next step catches up from V. A hash
 * read after V is still V's unless its key was written or deleted after V, and the next step
 * returns exactly those keys (or their deletes), so the assembled result equals one atomic read at
 * the last step's version. The steps end with one whose changes fit in a page. The keys are paged by
 * name: paging by rank or score over the index would skip a key whose rewrite moved it meanwhile.
 * Between steps the epoch must stay and the version must not go back; otherwise the namespace was
 * replaced while it was read, and the read starts again as a full load.
 *
 * <p>Not thread-safe: one instance per call, on the updater thread.
 */
final class PagedSync {
    private static final LuaScript SYNC = LuaScript.load("source-sync.lua");
    private static final LuaScript PAGE = LuaScript.load("source-page.lua");
    /** Steps before giving up on a namespace rewritten faster than it can be read; one or two are usual. */
    private static final int MAX_STEPS = 50;

    private final RedisClusterCommands<String, String> redis;
    private final KeySchema keys;
    private final String[] syncKeys;
    private final int pageSize;
    private final BooleanSupplier abandon;
    private final boolean decodeAsRead;

    private PagedSync(
            RedisClusterCommands<String, String> redis,
            KeySchema keys,
            int pageSize,
            BooleanSupplier abandon,
            boolean decodeAsRead) {
        this.redis = redis;
        this.keys = keys;
        this.syncKeys = new String[] {keys.version(), keys.meta(), keys.flags(), keys.segments(), keys.deleted()};
        this.pageSize = pageSize;
        this.abandon = abandon;
        this.decodeAsRead = decodeAsRead;
    }

    /**
     * Reads everything written since {@code since} ({@code -1}: a full load; the result is full
     * anyway when the deletion log was trimmed past it), at most {@code pageSize} hashes per call.
     *
     * @param abandon checked before each page: {@code true} ends the read early
     * @param decodeAsRead whether to decode each hash as its page arrives ({@link
     *     HashDecoder#decodeNow}): when the caller holds no definitions to reuse, so a load of
     *     thousands of flags never holds all their raw fields at once
     * @return the result at the last step's version, or {@code null} when abandoned
     * @throws RedisException when a call fails, or the namespace kept changing for {@value #MAX_STEPS} steps
     */
    static SyncResult read(
            RedisClusterCommands<String, String> redis,
            KeySchema keys,
            long since,
            int pageSize,
            BooleanSupplier abandon,
            boolean decodeAsRead) {
        return new PagedSync(redis, keys, pageSize, abandon, decodeAsRead).read(since);
    }

    private SyncResult read(long since) {
        Assembly assembly = null;
        long from = since;
        for (int step = 0; step < MAX_STEPS; step++) {
            List<Object> reply = SYNC.runReadOnly(
                    redis,
                    ScriptOutputType.MULTI,
                    syncKeys,
                    keys.prefix(),
                    Long.toString(from),
                    Integer.toString(pageSize));
            SyncResult head = SyncResult.parse(reply);
            if (assembly != null && !head.full() && !assembly.continuedBy(head)) {
                assembly = null; // replaced while it was read (re-seeded, failed over): read it all again
                from = -1;
                continue;
            }
            if (assembly == null || head.full()) {
                assembly = new Assembly(head.full(), decodeAsRead);
            }
            assembly.head = head;
            List<String> unreadFlags = strings(reply.get(8));
            List<String> unreadSegments = strings(reply.get(9));
            assembly.flags.merge(head.flags(), unreadFlags, head.deletedFlags(), head.deleteVersions());
            assembly.segments.merge(head.segments(), unreadSegments, head.deletedSegments(), head.deleteVersions());
            if (unreadFlags.isEmpty() && unreadSegments.isEmpty()) {
                return assembly.result();
            }
            if (!readPages(assembly.flags, unreadFlags, "flag:")
                    || !readPages(assembly.segments, unreadSegments, "segment:")) {
                return null;
            }
            from = head.version();
        }
        throw new RedisException("namespace '" + keys.namespace() + "' kept changing while it was read (" + MAX_STEPS
                + " steps of " + pageSize + " keys)");
    }

    /** Reads the hashes of {@code unread} keys a page at a time; {@code false} when abandoned. */
    private boolean readPages(Items items, List<String> unread, String kind) {
        for (int from = 0; from < unread.size(); from += pageSize) {
            if (abandon.getAsBoolean()) {
                return false;
            }
            List<String> page = unread.subList(from, Math.min(unread.size(), from + pageSize));
            // built like the script builds them (no validation: a hostile index member is read, found corrupt,
            // reported)
            String[] names =
                    page.stream().map(key -> keys.prefix() + kind + key).toArray(String[]::new);
            List<Object> hashes = PAGE.runReadOnly(redis, ScriptOutputType.MULTI, names);
            for (int i = 0; i < page.size(); i++) {
                // a hash deleted since it was listed reads empty; the next step reports the delete
                items.hashes.put(page.get(i), items.kept(SyncResult.hash(hashes.get(i))));
            }
        }
        return true;
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String.class::cast).toList();
    }

    /** What the steps so far add up to. */
    private static final class Assembly {
        private final boolean full;
        private final Items flags;
        private final Items segments;
        private SyncResult head;

        Assembly(boolean full, boolean decodeAsRead) {
            this.full = full;
            this.flags = new Items(full, "", decodeAsRead);
            this.segments = new Items(full, KeySchema.DELETED_SEGMENT_PREFIX, decodeAsRead);
        }

        /** Whether {@code next} (a catch-up from the last step's version) continues the same history. */
        boolean continuedBy(SyncResult next) {
            return next.epoch().equals(head.epoch()) && next.version() >= head.version();
        }

        SyncResult result() {
            Map<String, Long> deleteVersions = new LinkedHashMap<>();
            flags.deleted.forEach(deleteVersions::put);
            segments.deleted.forEach((key, version) -> deleteVersions.put(segments.member + key, version));
            return new SyncResult(
                    head.version(),
                    head.epoch(),
                    head.deletedTrimmedTo(),
                    full,
                    flags.hashes,
                    segments.hashes,
                    List.copyOf(flags.deleted.keySet()),
                    List.copyOf(segments.deleted.keySet()),
                    deleteVersions,
                    head.origin());
        }
    }

    /** Flags or segments: the hashes read and (in a catch-up) the keys deleted, with the delete's version. */
    private static final class Items {
        private final boolean full;
        private final String member;
        private final boolean decodeAsRead;
        final Map<String, Map<String, String>> hashes = new HashMap<>();
        final Map<String, Long> deleted = new LinkedHashMap<>();

        Items(boolean full, String member, boolean decodeAsRead) {
            this.full = full;
            this.member = member;
            this.decodeAsRead = decodeAsRead;
        }

        /** A hash read, as the assembly keeps it. */
        Map<String, String> kept(Map<String, String> hash) {
            return decodeAsRead ? HashDecoder.decodeNow(hash, !member.isEmpty()) : hash;
        }

        /** Adds a step: its hashes, the keys whose hashes the pages read next, its deletes. */
        void merge(
                Map<String, Map<String, String>> read,
                List<String> unread,
                List<String> deletedKeys,
                Map<String, Long> versions) {
            for (String key : deletedKeys) {
                hashes.remove(key);
                if (!full) {
                    deleted.put(key, versions.get(member + key)); // a full result lists what exists
                }
            }
            read.forEach((key, hash) -> hashes.put(key, kept(hash)));
            read.keySet().forEach(deleted::remove);
            unread.forEach(deleted::remove);
        }
    }
}
