package io.flagstore.redis.internal;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagUpdate;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * What a source's client holds (the last good definitions, the version and epoch, the digest of the
 * flags), and the deliveries that bring it to what a read returned. The definitions delivered are
 * only ever decoded from hashes read from Redis (or the backup file): change messages never reach
 * here.
 *
 * <p>Implementation notes. The digest ({@link FleetDigest}) is an XOR over the flags, brought up to
 * date only when presence asks for it ({@link PresenceWriter}), never on the way to the client:
 * each key changed since then remembers the definition the digest counts for it, which is taken out
 * and the current one put in, O(changed) without keeping a digest per flag (only those of the last
 * update's keys, since a flag that changes often is taken out as it was put in). A short journal of
 * the deletes applied lately lets a reconnect check, with a catch-up from the start of the failover
 * loss window instead of a full load, that Redis still holds every write held from that window: the
 * definitions held carry their write's version and time, the journal the deletes' versions ({@link
 * #matches}).
 *
 * <p>Not thread-safe (the updater thread's).
 */
final class HeldSet {
    private static final int MAX_JOURNAL = 10_000;
    /** The most digests of one update kept for the next (see {@link #digestHex}). */
    private static final int MAX_COUNTED = 64;

    private final Map<String, Flag> flags = new CompactMap<>();
    private final Map<String, Segment> segments = new CompactMap<>();
    // key changed since the digest was taken -> the flag the digest counts for it (null: none)
    private Map<String, Flag> digestedAs = new HashMap<>();
    // the digests the last update counted in, by key: a flag changed again is taken out without hashing it twice
    private Map<String, Counted> lastCounted = Map.of();
    private final ArrayDeque<Deletion> deletions = new ArrayDeque<>();
    private long journalLostAfter = Long.MIN_VALUE; // wall ms of the newest delete dropped for space
    private long digest = FleetDigest.EMPTY;
    private long version;
    private String epoch = "";
    private long appliedAtMillis;

    /** A definition and its digest. */
    private record Counted(Flag flag, long digest) {}

    /** A delete applied: its member in the deletion log, the version, when (wall ms). */
    private record Deletion(String member, long version, long atMillis) {}

    /** A delivery to make: a whole set, an update, or nothing. */
    sealed interface Delivery permits Init, Update, Nothing {}

    record Init(FlagData data, String epoch) implements Delivery {}

    record Update(FlagUpdate update, String epoch) implements Delivery {}

    enum Nothing implements Delivery {
        INSTANCE
    }

    long version() {
        return version;
    }

    String epoch() {
        return epoch;
    }

    /** When the held version was applied (wall ms; 0: never). */
    long appliedAtMillis() {
        return appliedAtMillis;
    }

    /** The digest of the flags held, as presence reports it; brought up to date here, O(changed since the last call). */
    String digestHex() {
        // a burst changes a few flags again and again; a full load's thousands are not worth keeping
        Map<String, Counted> counted = digestedAs.size() <= MAX_COUNTED ? new HashMap<>() : null;
        digestedAs.forEach((key, before) -> {
            if (before != null) {
                Counted last = lastCounted.get(key);
                digest ^= last != null && last.flag() == before ? last.digest() : FleetDigest.of(before);
            }
            Flag now = flags.get(key);
            if (now != null) {
                long of = FleetDigest.of(now);
                digest ^= of;
                if (counted != null) {
                    counted.put(key, new Counted(now, of));
                }
            }
        });
        digestedAs = new HashMap<>(); // not clear(): a full load's table would stay allocated
        lastCounted = counted == null ? Map.of() : counted;
        return FleetDigest.hex(digest);
    }

    /** Flag {@code key} was {@code before} (null: absent) until now: the digest must follow. */
    private void changed(String key, Flag before) {
        if (!digestedAs.containsKey(key)) {
            digestedAs.put(key, before);
        }
    }

    FlagData data() {
        return new FlagData(version, flags, segments);
    }

    /**
     * A full read as a delivery: definitions that did not change are reused when {@code sameEpoch},
     * a corrupt hash keeps the definition held, and when {@code verify} finds every write held still
     * in Redis only the difference is delivered.
     */
    Delivery reload(SyncResult r, HashDecoder decoder, boolean sameEpoch, boolean verify) {
        decoder.forgetCorrupt();
        Map<String, Flag> loaded = decoder.flags(r.flags(), sameEpoch ? flags : Map.of());
        Map<String, Segment> loadedSegments = decoder.segments(r.segments(), sameEpoch ? segments : Map.of());
        r.flags().keySet().forEach(key -> keepHeld(key, loaded, flags));
        r.segments().keySet().forEach(key -> keepHeld(key, loadedSegments, segments));
        if (verify
                && sameEpoch
                && unchangedUpTo(loaded, flags, Flag::version)
                && unchangedUpTo(loadedSegments, segments, Segment::version)) {
            // the usual reconnect: what is held is still there, so deliver only the difference
            List<Flag> changed = newer(loaded, Flag::version);
            List<Segment> changedSegments = newer(loadedSegments, Segment::version);
            List<String> deleted =
                    flags.keySet().stream().filter(k -> !loaded.containsKey(k)).toList();
            List<String> deletedSegments = segments.keySet().stream()
                    .filter(k -> !loadedSegments.containsKey(k))
                    .toList();
            return update(r, changed, deleted, changedSegments, deletedSegments);
        }
        return new Init(new FlagData(r.version(), loaded, loadedSegments), r.epoch());
    }

    /** A catch-up as a delivery: what is newer than the held version (a verified catch-up reads from earlier). */
    Delivery catchUp(SyncResult r, HashDecoder decoder) {
        List<Flag> changed = newer(decoder.flags(r.flags(), Map.of()), Flag::version);
        List<Segment> changedSegments = newer(decoder.segments(r.segments(), Map.of()), Segment::version);
        List<String> deleted = newerDeletes(r.deletedFlags(), "", r);
        List<String> deletedSegments = newerDeletes(r.deletedSegments(), KeySchema.DELETED_SEGMENT_PREFIX, r);
        r.deletedFlags().forEach(decoder::deleted);
        r.deletedSegments().forEach(key -> decoder.deleted(KeySchema.DELETED_SEGMENT_PREFIX + key));
        return update(r, changed, deleted, changedSegments, deletedSegments);
    }

    private Delivery update(
            SyncResult r,
            List<Flag> changed,
            List<String> deleted,
            List<Segment> changedSegments,
            List<String> deletedSegments) {
        if (r.version() == version
                && r.epoch().equals(epoch)
                && changed.isEmpty()
                && deleted.isEmpty()
                && changedSegments.isEmpty()
                && deletedSegments.isEmpty()) {
            return Nothing.INSTANCE;
        }
        return new Update(
                new FlagUpdate(r.version(), changed, deleted, changedSegments, deletedSegments, null), r.epoch());
    }

    private List<String> newerDeletes(List<String> keys, String member, SyncResult r) {
        return keys.stream()
                .filter(key -> r.deleteVersions().getOrDefault(member + key, Long.MAX_VALUE) > version)
                .toList();
    }

    private static <T> void keepHeld(String key, Map<String, T> loaded, Map<String, T> held) {
        if (!loaded.containsKey(key) && held.containsKey(key)) {
            loaded.put(key, held.get(key));
        }
    }

    /** Whether every loaded item at or below the held version is the one held (no other timeline). */
    private <T> boolean unchangedUpTo(Map<String, T> loaded, Map<String, T> held, ToLongFunction<T> versionOf) {
        return loaded.entrySet().stream()
                .filter(e -> versionOf.applyAsLong(e.getValue()) <= version)
                .allMatch(e -> e.getValue().equals(held.get(e.getKey())));
    }

    private <T> List<T> newer(Map<String, T> loaded, ToLongFunction<T> versionOf) {
        return loaded.values().stream()
                .filter(item -> versionOf.applyAsLong(item) > version)
                .toList();
    }

    /** Records a delivered whole set (at {@code nowMillis}, wall). */
    void accept(Init init, long nowMillis) {
        Map<String, Flag> next = init.data().flags();
        flags.forEach((key, flag) -> {
            if (next.get(key) != flag) {
                changed(key, flag); // replaced or gone; a definition reused as it was keeps its digest
            }
        });
        next.forEach((key, flag) -> {
            if (flags.get(key) != flag) {
                changed(key, flags.get(key));
            }
        });
        flags.clear();
        flags.putAll(next);
        segments.clear();
        segments.putAll(init.data().segments());
        deletions.clear();
        journalLostAfter = Long.MIN_VALUE;
        version = init.data().version();
        epoch = init.epoch();
        appliedAtMillis = nowMillis;
    }

    /** Records a delivered update (at {@code nowMillis}, wall). */
    void accept(Update u, long nowMillis) {
        FlagUpdate update = u.update();
        for (Flag flag : update.flags()) {
            changed(flag.key(), flags.put(flag.key(), flag));
        }
        for (String key : update.deletedFlags()) {
            changed(key, flags.remove(key));
            journal(key, update.version(), nowMillis);
        }
        update.segments().forEach(s -> segments.put(s.key(), s));
        for (String key : update.deletedSegments()) {
            segments.remove(key);
            journal(KeySchema.DELETED_SEGMENT_PREFIX + key, update.version(), nowMillis);
        }
        version = update.version();
        epoch = u.epoch();
        appliedAtMillis = nowMillis;
        long windowStart = nowMillis - SyncDecider.FAILOVER_LOSS_WINDOW_MILLIS;
        while (!deletions.isEmpty() && deletions.peekFirst().atMillis() < windowStart) {
            deletions.pollFirst();
        }
    }

    private void journal(String member, long at, long nowMillis) {
        if (deletions.size() >= MAX_JOURNAL) {
            journalLostAfter = deletions.pollFirst().atMillis();
        }
        deletions.addLast(new Deletion(member, at, nowMillis));
    }

    /** What the decider asks about the held set, for a read of {@code r} from {@code since}. */
    SyncDecider.HeldFacts facts(SyncResult r, long since) {
        return new SyncDecider.HeldFacts() {
            @Override
            public boolean writtenSince(long version, long sinceMillis) {
                return HeldSet.this.writtenSince(version, sinceMillis);
            }

            @Override
            public boolean matchesRedis() {
                return matches(r, since);
            }
        };
    }

    /**
     * Whether every definition held above {@code above} was written at or after {@code sinceMillis},
     * and so was the held version applied: what a failover to a replica that lacked the last writes loses.
     */
    boolean writtenSince(long above, long sinceMillis) {
        return appliedAtMillis >= sinceMillis
                && flags.values().stream()
                        .filter(f -> f.version() > above)
                        .allMatch(f -> atOrAfter(f.updatedAt(), sinceMillis))
                && segments.values().stream()
                        .filter(s -> s.version() > above)
                        .allMatch(s -> atOrAfter(s.updatedAt(), sinceMillis));
    }

    private static boolean atOrAfter(Instant at, long millis) {
        return at != null && at.toEpochMilli() >= millis;
    }

    /**
     * The version to catch up from to check the writes held from {@code sinceMillis} on (wall ms):
     * one below the oldest of them, the held version when there are none, {@code -1} (a full read)
     * when the journal lost some of them.
     */
    long floor(long sinceMillis) {
        if (journalLostAfter >= sinceMillis) {
            return -1;
        }
        if (appliedAtMillis < sinceMillis) {
            return version;
        }
        long floor = version;
        for (Flag f : flags.values()) {
            if (atOrAfter(f.updatedAt(), sinceMillis)) {
                floor = Math.min(floor, f.version() - 1);
            }
        }
        for (Segment s : segments.values()) {
            if (atOrAfter(s.updatedAt(), sinceMillis)) {
                floor = Math.min(floor, s.version() - 1);
            }
        }
        for (Deletion d : deletions) {
            if (d.atMillis() >= sinceMillis) {
                floor = Math.min(floor, d.version() - 1);
            }
        }
        return floor;
    }

    /**
     * Whether a catch-up from {@code floor} shows the same history as what is held up to the held
     * version: every write held above the floor is in Redis (or was overwritten or deleted after the
     * held version), every write and delete Redis has between the floor and the held version is held,
     * and every delete applied above the floor is in Redis's log.
     */
    boolean matches(SyncResult r, long floor) {
        return matches(flags, r.flags(), "", floor, r, Flag::version, Flag::updatedAt)
                && matches(
                        segments,
                        r.segments(),
                        KeySchema.DELETED_SEGMENT_PREFIX,
                        floor,
                        r,
                        Segment::version,
                        Segment::updatedAt)
                && deletions.stream()
                        .filter(d -> d.version() > floor)
                        .allMatch(d -> d.version() == r.deleteVersions().getOrDefault(d.member(), -1L)
                                || readVersion(hashOf(r, d.member())) > version);
    }

    private static Map<String, String> hashOf(SyncResult r, String member) {
        return member.startsWith(KeySchema.DELETED_SEGMENT_PREFIX)
                ? r.segments().get(member.substring(KeySchema.DELETED_SEGMENT_PREFIX.length()))
                : r.flags().get(member);
    }

    private <T> boolean matches(
            Map<String, T> held,
            Map<String, Map<String, String>> read,
            String member,
            long floor,
            SyncResult r,
            ToLongFunction<T> versionOf,
            Function<T, Instant> updatedAtOf) {
        for (Map.Entry<String, Map<String, String>> e : read.entrySet()) {
            long at = readVersion(e.getValue());
            T mine = held.get(e.getKey());
            if (at < 0) {
                if (mine != null && versionOf.applyAsLong(mine) > floor) {
                    return false; // unreadable now: cannot vouch for the write held
                }
            } else if (at <= version
                    && (mine == null
                            || !HashDecoder.sameWrite(
                                    versionOf.applyAsLong(mine), updatedAtOf.apply(mine), e.getValue()))) {
                return false;
            }
        }
        List<String> heldAbove = new ArrayList<>();
        held.forEach((key, item) -> {
            if (versionOf.applyAsLong(item) > floor) {
                heldAbove.add(key);
            }
        });
        for (String key : heldAbove) {
            Map<String, String> hash = read.get(key);
            long deletedAt = r.deleteVersions().getOrDefault(member + key, -1L);
            if (hash == null ? deletedAt <= version : readVersion(hash) < 0) {
                return false;
            }
        }
        for (Map.Entry<String, Long> d : r.deleteVersions().entrySet()) {
            String key = d.getKey();
            boolean mine =
                    member.isEmpty() ? !key.startsWith(KeySchema.DELETED_SEGMENT_PREFIX) : key.startsWith(member);
            if (mine && d.getValue() <= version && held.containsKey(key.substring(member.length()))) {
                return false;
            }
        }
        return true;
    }

    /** The version field of a hash read, or {@code -1} when missing, unreadable or not a number. */
    private static long readVersion(Map<String, String> hash) {
        if (hash == null) {
            return -1;
        }
        try {
            return Long.parseLong(hash.getOrDefault("version", "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
