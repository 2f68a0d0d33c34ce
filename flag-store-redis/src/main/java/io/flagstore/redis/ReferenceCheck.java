package io.flagstore.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagValidator;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Prerequisite;
import io.flagstore.core.model.Segment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds the problems a write adds to the references between flags and segments (a prerequisite on
 * a missing flag or variant, a prerequisite cycle, an unknown segment), reading only the part of
 * the namespace the write can break. Problems the stored set already had are not the writer's
 * fault and are not reported.
 *
 * <p>A write of flags reads: the segments the changed flags' rules name, before and after; the
 * flags that name a changed flag as a prerequisite, when the write creates or removes that flag or
 * changes its variants (the dependents index); and every flag reachable over prerequisites from a
 * flag whose prerequisites change (where a new cycle would run). Every other flag reads the same
 * before and after the write and resolves its references the same way, so the problems of this part
 * of the set change exactly as those of the whole set do. A write of segments, or one that needs
 * dependents while the index is not complete, reads the whole namespace.
 *
 * <p>Stateless apart from its store; thread-safe when the store is.
 */
final class ReferenceCheck {
    /** What the check reads of the stored namespace. */
    interface Store {
        /** The flags among {@code keys} a whole read would return (indexed and readable). */
        Map<String, Flag> indexedFlags(Collection<String> keys);

        /** The segments among {@code keys} a whole read would return (indexed and readable). */
        Map<String, Segment> indexedSegments(Collection<String> keys);

        /**
         * Every flag whose stored prerequisites name one of {@code keys} (and possibly more), or
         * empty when the dependents index does not cover the namespace.
         */
        Optional<Set<String>> dependents(Collection<String> keys);

        /** The whole namespace. */
        StoreReader.Snapshot all();
    }

    /**
     * The check's outcome.
     *
     * @param introduced the problems the write adds, empty when it may go ahead
     * @param readWhole whether the write needed dependents and the check read the whole namespace
     *     for want of a complete index (the write script then builds it)
     */
    record Verdict(List<String> introduced, boolean readWhole) {}

    private static final Verdict FINE = new Verdict(List.of(), false);

    private final Store store;

    ReferenceCheck(Store store) {
        this.store = store;
    }

    /**
     * Checks {@code changes} (as they will be stored) against {@code current}, what their keys
     * hold now (same order).
     */
    Verdict check(List<Change> changes, List<StoreReader.Stored> current) {
        if (!referencesMayChange(changes, current)) {
            return FINE;
        }
        if (changes.stream().anyMatch(Change::segment)) {
            return new Verdict(whole(changes), false);
        }
        Map<String, Flag> before = new LinkedHashMap<>();
        Map<String, Flag> after = new LinkedHashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            StoreReader.Stored stored = current.get(i);
            // what a whole read holds: only indexed flags
            before.put(c.key(), stored.version() > 0 ? stored.flag() : null);
            after.put(c.key(), c.flag());
        }
        Set<String> created = new TreeSet<>();
        Set<String> rewired = new TreeSet<>();
        after.forEach((key, changed) -> {
            Flag old = before.get(key);
            if (old == null || changed == null || !variantNames(old).equals(variantNames(changed))) {
                created.add(key); // created, removed or re-varianted: its dependents may break
            }
            if (!prerequisites(old).equals(prerequisites(changed))) {
                rewired.add(key);
            }
        });
        Map<String, Flag> unchanged = new HashMap<>();
        if (!created.isEmpty()) {
            Optional<Set<String>> dependents = store.dependents(created);
            if (dependents.isEmpty()) {
                return new Verdict(whole(changes), true);
            }
            Set<String> toRead = new TreeSet<>(dependents.get());
            toRead.removeAll(after.keySet());
            unchanged.putAll(store.indexedFlags(toRead));
        }
        readReachable(rewired, before, after, unchanged);
        Map<String, Flag> partBefore = new HashMap<>(unchanged);
        Map<String, Flag> partAfter = new HashMap<>(unchanged);
        Set<String> segmentKeys = new TreeSet<>();
        before.forEach((key, flag) -> {
            if (flag != null) {
                partBefore.put(key, flag);
                segmentKeys.addAll(segmentKeys(flag));
            }
        });
        after.forEach((key, flag) -> {
            if (flag != null) {
                partAfter.put(key, flag);
                segmentKeys.addAll(segmentKeys(flag));
            }
        });
        return new Verdict(introduced(partBefore, partAfter, store.indexedSegments(segmentKeys)), false);
    }

    /**
     * Reads into {@code unchanged} every stored flag reachable over prerequisites from {@code roots},
     * one round of reads per step along the chains, following both versions of a changed flag.
     */
    private void readReachable(
            Set<String> roots, Map<String, Flag> before, Map<String, Flag> after, Map<String, Flag> unchanged) {
        Set<String> followed = new HashSet<>();
        Set<String> absent = new HashSet<>();
        Set<String> frontier = roots;
        while (!frontier.isEmpty()) {
            Set<String> next = new TreeSet<>();
            for (String key : frontier) {
                if (!followed.add(key)) {
                    continue;
                }
                Stream<Flag> versions = after.containsKey(key)
                        ? Stream.of(before.get(key), after.get(key))
                        : Stream.of(unchanged.get(key));
                versions.filter(Objects::nonNull).forEach(f -> f.prerequisites().forEach(p -> next.add(p.flagKey())));
            }
            next.removeAll(followed);
            Set<String> unread = new TreeSet<>(next);
            unread.removeAll(after.keySet());
            unread.removeAll(unchanged.keySet());
            unread.removeAll(absent);
            if (!unread.isEmpty()) {
                Map<String, Flag> read = store.indexedFlags(unread);
                unchanged.putAll(read);
                unread.removeAll(read.keySet());
                absent.addAll(unread);
            }
            frontier = next;
        }
    }

    /** The check over the whole namespace, with the changes applied to what it holds. */
    private List<String> whole(List<Change> changes) {
        StoreReader.Snapshot all = store.all();
        Map<String, Flag> flags = new LinkedHashMap<>(all.flags());
        Map<String, Segment> segments = new LinkedHashMap<>(all.segments());
        for (Change c : changes) {
            if (c.segment()) {
                if (c.isDelete()) {
                    segments.remove(c.key());
                } else {
                    segments.put(c.key(), c.newSegment());
                }
            } else if (c.isDelete()) {
                flags.remove(c.key());
            } else {
                flags.put(c.key(), c.flag());
            }
        }
        Set<String> existing = new HashSet<>(FlagValidator.problemsInSet(all.flags(), all.segments()));
        return FlagValidator.problemsInSet(flags, segments).stream()
                .filter(p -> !existing.contains(p))
                .toList();
    }

    /** The problems of {@code partAfter} that {@code partBefore} did not have (segments as given). */
    private static List<String> introduced(
            Map<String, Flag> partBefore, Map<String, Flag> partAfter, Map<String, Segment> segments) {
        Set<String> existing = new HashSet<>(FlagValidator.problemsInSet(partBefore, segments));
        List<String> out = new ArrayList<>();
        FlagValidator.problemsInSet(partAfter, segments).stream()
                .filter(p -> !existing.contains(p))
                .forEach(out::add);
        return out;
    }

    /** False when no reference can change: switches, targets, rollouts and the like on a stored flag. */
    private static boolean referencesMayChange(List<Change> changes, List<StoreReader.Stored> current) {
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            Flag old = current.get(i).flag();
            // a new flag may resolve a dangling prerequisite to a variant it does not have
            boolean may = c.isDelete()
                    || c.segment()
                    || old == null
                    || !old.variants().keySet().equals(c.flag().variants().keySet())
                    || !old.prerequisites().equals(c.flag().prerequisites())
                    || !old.rules().equals(c.flag().rules());
            if (may) {
                return true;
            }
        }
        return false;
    }

    /** The variant names in order: a problem names them in this order, so a reordering counts. */
    private static List<String> variantNames(Flag flag) {
        return List.copyOf(flag.variants().keySet());
    }

    private static List<Prerequisite> prerequisites(Flag flag) {
        return flag == null ? List.of() : flag.prerequisites();
    }

    /** The segment keys {@code flag}'s {@code inSegment} clauses name (the ones a set check resolves). */
    private static Set<String> segmentKeys(Flag flag) {
        Set<String> out = new HashSet<>();
        flag.rules().forEach(r -> r.clauses().stream()
                .filter(c -> c.op() == Operator.IN_SEGMENT)
                .forEach(c -> c.values().stream().filter(JsonNode::isTextual).forEach(v -> out.add(v.textValue()))));
        return out;
    }
}
