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
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, compiled flag set: what a client evaluates against. Built once per full load
 * ({@link #of}) and derived per incremental write ({@link #apply}); safe to publish through a
 * volatile field and to share between threads.
 *
 * <p>Implementation notes: flags are compiled when the snapshot is built (see {@link CompiledFlag}),
 * so {@link #evaluate} is a hash lookup plus the flag's precompiled logic. {@link #apply} copies the
 * maps and recompiles only the flags that changed and those depending on them (through
 * prerequisites, transitively, or through a changed segment); unchanged flags keep their compiled
 * objects and therefore their {@link EvalResult}s (and any cached metrics state).
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
    private static final CompiledSnapshot EMPTY = new CompiledSnapshot(0, 0, Map.of(), Map.of(), Map.of(), Map.of());

    private final long version;
    private final long loadedVersion;
    private final Map<String, CompiledFlag> flags;
    private final Map<String, CompiledSegment> segments;
    private final Map<String, Long> flagTombstones;
    private final Map<String, Long> segmentTombstones;
    private final Map<String, Flag> flagModels;
    private final Map<String, Segment> segmentModels;
    private final Map<String, String> problems;

    private CompiledSnapshot(
            long version,
            long loadedVersion,
            Map<String, CompiledFlag> flags,
            Map<String, CompiledSegment> segments,
            Map<String, Long> flagTombstones,
            Map<String, Long> segmentTombstones) {
        this.version = version;
        this.loadedVersion = loadedVersion;
        this.flags = flags;
        this.segments = segments;
        this.flagTombstones = flagTombstones;
        this.segmentTombstones = segmentTombstones;
        Map<String, Flag> fm = new HashMap<>();
        Map<String, String> pm = new LinkedHashMap<>();
        flags.forEach((key, f) -> {
            fm.put(key, f.flag());
            if (f.problem() != null) {
                pm.put(key, f.problem());
            }
        });
        Map<String, Segment> sm = new HashMap<>();
        segments.forEach((key, s) -> {
            sm.put(key, s.segment());
            if (s.problem() != null) {
                pm.put("segment:" + key, s.problem());
            }
        });
        this.flagModels = Collections.unmodifiableMap(fm);
        this.segmentModels = Collections.unmodifiableMap(sm);
        this.problems = Collections.unmodifiableMap(pm);
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
        return new CompiledSnapshot(data.version(), data.version(), flags, segments, new HashMap<>(), new HashMap<>());
    }

    /**
     * A new snapshot with one write applied whole; {@code this} is unchanged. Stale items are ignored
     * (see the class comment); the new version is {@code max(version(), update.version())}.
     */
    public CompiledSnapshot apply(FlagUpdate update) {
        long v = update.version();
        Map<String, CompiledSegment> newSegments = new HashMap<>(segments);
        Map<String, Long> newSegmentTombstones = new HashMap<>(segmentTombstones);
        Set<String> changedSegments = new HashSet<>();
        for (Segment segment : update.segments()) {
            String key = segment.key();
            long itemVersion = segment.version() != 0 ? segment.version() : v;
            if (itemVersion > heldSegmentVersion(key, newSegments, newSegmentTombstones)) {
                Segment stamped = segment.version() == itemVersion
                        ? segment
                        : segment.withVersion(
                                itemVersion, segment.updatedAt() != null ? segment.updatedAt() : update.writtenAt());
                newSegments.put(key, new CompiledSegment(stamped));
                newSegmentTombstones.remove(key);
                changedSegments.add(key);
            }
        }
        for (String key : update.deletedSegments()) {
            if (v > heldSegmentVersion(key, newSegments, newSegmentTombstones)) {
                newSegments.remove(key);
                newSegmentTombstones.put(key, v);
                changedSegments.add(key);
            }
        }

        Map<String, CompiledFlag> newFlags = new HashMap<>(flags);
        Map<String, Long> newFlagTombstones = new HashMap<>(flagTombstones);
        Map<String, Flag> upserts = new HashMap<>();
        for (Flag flag : update.flags()) {
            String key = flag.key();
            long itemVersion = flag.version() != 0 ? flag.version() : v;
            if (itemVersion > heldFlagVersion(key, upserts, newFlags, newFlagTombstones)) {
                Flag stamped = flag.version() == itemVersion
                        ? flag
                        : flag.toBuilder()
                                .version(itemVersion)
                                .updatedAt(flag.updatedAt() != null ? flag.updatedAt() : update.writtenAt())
                                .build();
                upserts.put(key, stamped);
                newFlagTombstones.remove(key);
            }
        }
        Set<String> changedFlags = new HashSet<>(upserts.keySet());
        for (String key : update.deletedFlags()) {
            if (v > heldFlagVersion(key, upserts, newFlags, newFlagTombstones)) {
                upserts.remove(key);
                newFlags.remove(key);
                newFlagTombstones.put(key, v);
                changedFlags.add(key);
            }
        }
        if (changedFlags.isEmpty() && changedSegments.isEmpty()) {
            return v > version
                    ? new CompiledSnapshot(v, loadedVersion, flags, segments, flagTombstones, segmentTombstones)
                    : this;
        }

        Set<String> recompile = dependents(newFlags, upserts, changedFlags, changedSegments);
        List<CompiledFlag> compiled = new ArrayList<>(recompile.size());
        for (String key : recompile) {
            Flag flag = upserts.containsKey(key) ? upserts.get(key) : model(newFlags.get(key));
            if (flag != null) {
                CompiledFlag c = CompiledFlag.compile(flag, newSegments);
                newFlags.put(key, c);
                compiled.add(c);
            }
        }
        compiled.forEach(c -> c.link(newFlags));
        return new CompiledSnapshot(
                Math.max(version, v), loadedVersion, newFlags, newSegments, newFlagTombstones, newSegmentTombstones);
    }

    private long heldFlagVersion(
            String key, Map<String, Flag> upserts, Map<String, CompiledFlag> flags, Map<String, Long> tombstones) {
        Flag held = upserts.containsKey(key) ? upserts.get(key) : model(flags.get(key));
        return heldVersion(key, held == null ? Long.MIN_VALUE : held.version(), tombstones);
    }

    private long heldSegmentVersion(String key, Map<String, CompiledSegment> segments, Map<String, Long> tombstones) {
        CompiledSegment held = segments.get(key);
        return heldVersion(key, held == null ? Long.MIN_VALUE : held.segment().version(), tombstones);
    }

    /** The version an item must exceed to be applied: see the class comment. */
    private long heldVersion(String key, long itemVersion, Map<String, Long> tombstones) {
        return Math.max(loadedVersion, Math.max(itemVersion, tombstones.getOrDefault(key, Long.MIN_VALUE)));
    }

    private static Flag model(CompiledFlag compiled) {
        return compiled == null ? null : compiled.flag();
    }

    /**
     * The changed flags plus every flag that depends on one of them or on a changed segment,
     * directly or through a chain of prerequisites.
     */
    private static Set<String> dependents(
            Map<String, CompiledFlag> flags,
            Map<String, Flag> upserts,
            Set<String> changedFlags,
            Set<String> changedSegments) {
        Map<String, List<String>> prerequisiteOf = new HashMap<>();
        Set<String> result = new HashSet<>(changedFlags);
        Deque<String> queue = new ArrayDeque<>(changedFlags);
        for (CompiledFlag f : flags.values()) {
            String key = f.flag().key();
            if (upserts.containsKey(key)) {
                continue; // indexed below from its new definition
            }
            f.prerequisiteKeys().forEach(p -> prerequisiteOf
                    .computeIfAbsent(p, k -> new ArrayList<>())
                    .add(key));
            if (!Collections.disjoint(f.segmentKeys(), changedSegments) && result.add(key)) {
                queue.add(key);
            }
        }
        for (Flag f : upserts.values()) {
            f.prerequisites().forEach(p -> prerequisiteOf
                    .computeIfAbsent(p.flagKey(), k -> new ArrayList<>())
                    .add(f.key()));
        }
        while (!queue.isEmpty()) {
            for (String dependent : prerequisiteOf.getOrDefault(queue.poll(), List.of())) {
                if (result.add(dependent)) {
                    queue.add(dependent);
                }
            }
        }
        return result;
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
        return problems;
    }

    /**
     * Evaluates a flag for a context per DESIGN §3. Never throws and never returns {@code null}: a
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
