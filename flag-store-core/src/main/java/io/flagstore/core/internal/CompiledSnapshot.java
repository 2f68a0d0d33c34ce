package io.flagstore.core.internal;

import io.flagstore.core.ErrorKind;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.Reason;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagUpdate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An immutable, compiled flag set: what a client evaluates against. Built once per full load
 * ({@link #of}) and derived per incremental write ({@link #apply}); safe to publish through a
 * volatile field and to share between threads.
 *
 * <p>Implementation notes: flags are compiled when the snapshot is built (see {@link CompiledFlag}),
 * so {@link #evaluate} is a hash lookup plus the flag's precompiled logic. Every table is a {@link
 * ShardedMap}, so {@link #apply} costs O(what the write changed), not O(flags): it copies the shards
 * the write touches and recompiles only the flags that changed and those depending on them (through
 * prerequisites, transitively, or through a changed segment), found through reverse indexes
 * ({@link #dependents}, {@link #segmentUsers}) that are themselves updated per write. Unchanged
 * flags keep their compiled objects and therefore their {@link EvalResult}s (and any cached metrics
 * state). The {@code Map}s handed out ({@link #flags()}, {@link #segments()}, {@link #problems()})
 * are views, not copies.
 *
 * <p>Version gating: each key's held version is the highest of the flag's (or segment's) version,
 * its tombstone, and the version of the last full load, which reflects every write up to it. An
 * upsert or delete at or below that is ignored, and deletes leave tombstones, so neither a late
 * message nor a replayed one can resurrect or roll back anything. Items with version 0 take the
 * update's version.
 */
public final class CompiledSnapshot {
    private static final EvaluationDetail<Object> NOT_FOUND =
            new EvaluationDetail<>(null, null, Reason.ERROR, -1, null, ErrorKind.FLAG_NOT_FOUND, 0);
    private static final String SEGMENT_PROBLEM = "segment:";
    private static final CompiledSnapshot EMPTY = new CompiledSnapshot(
            0,
            0,
            ShardedMap.empty(),
            ShardedMap.empty(),
            ShardedMap.empty(),
            ShardedMap.empty(),
            ShardedMap.empty(),
            ShardedMap.empty(),
            ShardedMap.empty());

    private final long version;
    private final long loadedVersion;
    private final ShardedMap<CompiledFlag> flags;
    private final ShardedMap<CompiledSegment> segments;
    private final ShardedMap<Long> flagTombstones;
    private final ShardedMap<Long> segmentTombstones;
    /** Flag key, or {@link #SEGMENT_PROBLEM} + segment key, to why it cannot be evaluated. */
    private final ShardedMap<String> problems;
    /** Flag key to the keys of the flags naming it as a prerequisite (whether it exists or not). */
    private final ShardedMap<Set<String>> dependents;
    /** Segment key to the keys of the flags whose rules name it. */
    private final ShardedMap<Set<String>> segmentUsers;

    private final Map<String, Flag> flagModels;
    private final Map<String, Segment> segmentModels;
    private final Map<String, String> problemView;

    private CompiledSnapshot(
            long version,
            long loadedVersion,
            ShardedMap<CompiledFlag> flags,
            ShardedMap<CompiledSegment> segments,
            ShardedMap<Long> flagTombstones,
            ShardedMap<Long> segmentTombstones,
            ShardedMap<String> problems,
            ShardedMap<Set<String>> dependents,
            ShardedMap<Set<String>> segmentUsers) {
        this.version = version;
        this.loadedVersion = loadedVersion;
        this.flags = flags;
        this.segments = segments;
        this.flagTombstones = flagTombstones;
        this.segmentTombstones = segmentTombstones;
        this.problems = problems;
        this.dependents = dependents;
        this.segmentUsers = segmentUsers;
        this.flagModels = flags.asMap(CompiledFlag::flag);
        this.segmentModels = segments.asMap(CompiledSegment::segment);
        this.problemView = problems.asMap(Function.identity());
    }

    /** The empty snapshot at version 0. */
    public static CompiledSnapshot empty() {
        return EMPTY;
    }

    /**
     * Compiles a complete flag set. Never throws for a broken definition: such a flag evaluates to
     * ERROR/MALFORMED_FLAG (see {@link #problems()}).
     */
    public static CompiledSnapshot of(FlagData data) {
        Map<String, CompiledSegment> segments = new HashMap<>();
        data.segments().forEach((key, segment) -> segments.put(key, new CompiledSegment(segment)));
        Map<String, CompiledFlag> flags = new HashMap<>();
        data.flags().forEach((key, flag) -> flags.put(key, CompiledFlag.compile(flag, segments)));
        flags.values().forEach(f -> f.link(flags));
        Map<String, Set<String>> dependents = new HashMap<>();
        Map<String, Set<String>> segmentUsers = new HashMap<>();
        Map<String, String> problems = new HashMap<>();
        flags.forEach((key, f) -> {
            index(dependents, key, f.prerequisiteKeys());
            index(segmentUsers, key, f.segmentKeys());
            if (f.problem() != null) {
                problems.put(key, f.problem());
            }
        });
        segments.forEach((key, s) -> {
            if (s.problem() != null) {
                problems.put(SEGMENT_PROBLEM + key, s.problem());
            }
        });
        return new CompiledSnapshot(
                data.version(),
                data.version(),
                ShardedMap.of(flags),
                ShardedMap.of(segments),
                ShardedMap.empty(),
                ShardedMap.empty(),
                ShardedMap.of(problems),
                ShardedMap.of(frozen(dependents)),
                ShardedMap.of(frozen(segmentUsers)));
    }

    /**
     * A new snapshot with one write applied whole; {@code this} is unchanged. Stale items are ignored
     * (see the class comment); the new version is {@code max(version(), update.version())}.
     */
    public CompiledSnapshot apply(FlagUpdate update) {
        long v = update.version();
        // What the write changes, by key; a null value removes the key.
        Map<String, CompiledSegment> segmentChanges = new HashMap<>();
        Map<String, Long> segmentTombstoneChanges = new HashMap<>();
        for (Segment segment : update.segments()) {
            String key = segment.key();
            long itemVersion = segment.version() != 0 ? segment.version() : v;
            if (itemVersion > heldSegmentVersion(key, segmentChanges, segmentTombstoneChanges)) {
                Segment stamped = segment.version() == itemVersion
                        ? segment
                        : segment.withVersion(
                                itemVersion, segment.updatedAt() != null ? segment.updatedAt() : update.writtenAt());
                segmentChanges.put(key, new CompiledSegment(stamped));
                segmentTombstoneChanges.put(key, null);
            }
        }
        for (String key : update.deletedSegments()) {
            if (v > heldSegmentVersion(key, segmentChanges, segmentTombstoneChanges)) {
                segmentChanges.put(key, null);
                segmentTombstoneChanges.put(key, v);
            }
        }

        Map<String, Flag> upserts = new HashMap<>();
        Set<String> deleted = new HashSet<>();
        Map<String, Long> flagTombstoneChanges = new HashMap<>();
        for (Flag flag : update.flags()) {
            String key = flag.key();
            long itemVersion = flag.version() != 0 ? flag.version() : v;
            if (itemVersion > heldFlagVersion(key, upserts, deleted, flagTombstoneChanges)) {
                Flag stamped = flag.version() == itemVersion
                        ? flag
                        : flag.toBuilder()
                                .version(itemVersion)
                                .updatedAt(flag.updatedAt() != null ? flag.updatedAt() : update.writtenAt())
                                .build();
                upserts.put(key, stamped);
                flagTombstoneChanges.put(key, null);
            }
        }
        for (String key : update.deletedFlags()) {
            if (v > heldFlagVersion(key, upserts, deleted, flagTombstoneChanges)) {
                upserts.remove(key);
                deleted.add(key);
                flagTombstoneChanges.put(key, v);
            }
        }
        if (upserts.isEmpty() && deleted.isEmpty() && segmentChanges.isEmpty()) {
            return v > version ? withVersion(v) : this;
        }

        ShardedMap<CompiledSegment> newSegments = segments.with(segmentChanges);
        Map<String, CompiledSegment> newSegmentView = newSegments.asMap(Function.identity());
        Map<String, CompiledFlag> flagChanges = new HashMap<>();
        deleted.forEach(key -> flagChanges.put(key, null));
        upserts.forEach((key, flag) -> flagChanges.put(key, CompiledFlag.compile(flag, newSegmentView)));

        // the reverse indexes of the new state, then everything reachable from the change through them
        Map<String, Set<String>> dependentChanges = new HashMap<>();
        Map<String, Set<String>> segmentUserChanges = new HashMap<>();
        flagChanges.forEach((key, now) -> {
            CompiledFlag was = flags.get(key);
            reindex(dependents, dependentChanges, key, was, now, CompiledFlag::prerequisiteKeys);
            reindex(segmentUsers, segmentUserChanges, key, was, now, CompiledFlag::segmentKeys);
        });
        ShardedMap<Set<String>> newDependents = dependents.with(frozen(dependentChanges));
        ShardedMap<Set<String>> newSegmentUsers = segmentUsers.with(frozen(segmentUserChanges));
        Set<String> affected = new HashSet<>(flagChanges.keySet());
        Deque<String> queue = new ArrayDeque<>(flagChanges.keySet());
        for (String segment : segmentChanges.keySet()) {
            for (String user : entry(newSegmentUsers, segment)) {
                if (affected.add(user)) {
                    queue.add(user);
                }
            }
        }
        while (!queue.isEmpty()) {
            for (String dependent : entry(newDependents, queue.poll())) {
                if (affected.add(dependent)) {
                    queue.add(dependent);
                }
            }
        }
        for (String key : affected) {
            CompiledFlag held = flags.get(key);
            if (!flagChanges.containsKey(key) && held != null) {
                flagChanges.put(key, CompiledFlag.compile(held.flag(), newSegmentView));
            }
        }
        ShardedMap<CompiledFlag> newFlags = flags.with(flagChanges);
        Map<String, CompiledFlag> newFlagView = newFlags.asMap(Function.identity());
        Map<String, String> problemChanges = new HashMap<>();
        flagChanges.forEach((key, c) -> {
            if (c != null) {
                c.link(newFlagView);
            }
            problemChanges.put(key, c == null ? null : c.problem());
        });
        segmentChanges.forEach((key, s) -> problemChanges.put(SEGMENT_PROBLEM + key, s == null ? null : s.problem()));
        return new CompiledSnapshot(
                Math.max(version, v),
                loadedVersion,
                newFlags,
                newSegments,
                flagTombstones.with(flagTombstoneChanges),
                segmentTombstones.with(segmentTombstoneChanges),
                problems.with(problemChanges),
                newDependents,
                newSegmentUsers);
    }

    private CompiledSnapshot withVersion(long newVersion) {
        return new CompiledSnapshot(
                newVersion,
                loadedVersion,
                flags,
                segments,
                flagTombstones,
                segmentTombstones,
                problems,
                dependents,
                segmentUsers);
    }

    /** The value held for {@code key}: the write's own change if it made one, else the snapshot's. */
    private static <V> V held(String key, Map<String, V> changes, ShardedMap<V> held) {
        return changes.containsKey(key) ? changes.get(key) : held.get(key);
    }

    private long heldFlagVersion(String key, Map<String, Flag> upserts, Set<String> deleted, Map<String, Long> tombs) {
        Flag held = upserts.containsKey(key) ? upserts.get(key) : deleted.contains(key) ? null : model(flags.get(key));
        return heldVersion(held == null ? Long.MIN_VALUE : held.version(), held(key, tombs, flagTombstones));
    }

    private long heldSegmentVersion(String key, Map<String, CompiledSegment> changes, Map<String, Long> tombs) {
        CompiledSegment held = held(key, changes, segments);
        return heldVersion(
                held == null ? Long.MIN_VALUE : held.segment().version(), held(key, tombs, segmentTombstones));
    }

    /** The version an item must exceed to be applied: see the class comment. */
    private long heldVersion(long itemVersion, Long tombstone) {
        return Math.max(loadedVersion, Math.max(itemVersion, tombstone == null ? Long.MIN_VALUE : tombstone));
    }

    private static Flag model(CompiledFlag compiled) {
        return compiled == null ? null : compiled.flag();
    }

    /** Adds {@code key} under each of {@code targets}. */
    private static void index(Map<String, Set<String>> index, String key, Set<String> targets) {
        targets.forEach(
                target -> index.computeIfAbsent(target, t -> new HashSet<>()).add(key));
    }

    private static Set<String> entry(ShardedMap<Set<String>> index, String key) {
        Set<String> keys = index.get(key);
        return keys == null ? Set.of() : keys;
    }

    /**
     * Records in {@code changes} (copies of the touched entries of {@code index}) that flag {@code
     * key} now points at {@code targets(now)} instead of {@code targets(was)}.
     */
    private static void reindex(
            ShardedMap<Set<String>> index,
            Map<String, Set<String>> changes,
            String key,
            CompiledFlag was,
            CompiledFlag now,
            Function<CompiledFlag, Set<String>> targets) {
        Set<String> before = was == null ? Set.of() : targets.apply(was);
        Set<String> after = now == null ? Set.of() : targets.apply(now);
        if (before.equals(after)) {
            return;
        }
        for (String target : before) {
            if (!after.contains(target)) {
                changes.computeIfAbsent(target, t -> copy(index.get(t))).remove(key);
            }
        }
        for (String target : after) {
            if (!before.contains(target)) {
                changes.computeIfAbsent(target, t -> copy(index.get(t))).add(key);
            }
        }
    }

    private static Set<String> copy(Set<String> entry) {
        return entry == null ? new HashSet<>() : new HashSet<>(entry);
    }

    /**
     * The index entries as stored: immutable compact sets (a fifth of a {@code HashSet}'s memory per
     * key, and every client holds an entry for every flag that names a segment); an emptied entry is
     * removed.
     */
    private static Map<String, Set<String>> frozen(Map<String, Set<String>> changes) {
        changes.replaceAll((target, keys) -> keys.isEmpty() ? null : Set.copyOf(keys));
        return changes;
    }

    /** The version of the last write applied (or of the full load). */
    public long version() {
        return version;
    }

    /** Every flag by key; an immutable map. */
    public Map<String, Flag> flags() {
        return flagModels;
    }

    /** Every segment by key; an immutable map. */
    public Map<String, Segment> segments() {
        return segmentModels;
    }

    /** The flag with the given key, or {@code null}. */
    public Flag flag(String key) {
        return model(flags.get(key));
    }

    /**
     * Why a flag (key) or a segment ({@code "segment:" + key}) cannot be evaluated, for flags that
     * evaluate to ERROR/MALFORMED_FLAG; an immutable map, empty when everything compiled.
     */
    public Map<String, String> problems() {
        return problemView;
    }

    /**
     * Evaluates a flag for a context as docs/evaluation.md describes. Never throws and never returns {@code null}: a
     * missing flag gives ERROR/FLAG_NOT_FOUND, a broken one ERROR/MALFORMED_FLAG, anything unexpected
     * ERROR/GENERAL. Allocates nothing except for a missing flag, regex matching (a Matcher) and
     * semver or string-instant attributes (parsed per evaluation).
     *
     * @param key the flag key
     * @param ctx the context; must not be {@code null} (a null context gives ERROR/GENERAL)
     */
    public EvalResult evaluate(String key, EvaluationContext ctx) {
        CompiledFlag flag = key == null ? null : flags.get(key);
        if (flag == null) {
            return new EvalResult(String.valueOf(key), null, NOT_FOUND);
        }
        return flag.evaluate(ctx);
    }
}
