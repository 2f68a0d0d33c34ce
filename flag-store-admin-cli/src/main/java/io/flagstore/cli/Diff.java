package io.flagstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What {@code apply} would change: per key create, update (with the top-level fields that differ)
 * or unchanged. Compares the JSON tree forms, ignoring what every write stamps (version, times,
 * actor).
 */
final class Diff {
    /** Stamped by the store on each write; never part of a definition's identity. */
    static final Set<String> STAMPED = Set.of("version", "createdAt", "updatedAt", "updatedBy");

    enum Action {
        CREATE,
        UPDATE,
        UNCHANGED,
        /** Only in a re-seed's plan: a stored key the file does not name. */
        REMOVE,
        /** A stored key that cannot be read (corrupt): the file's definition replaces it. */
        REPAIR
    }

    /**
     * One entry of the plan.
     *
     * @param kind {@code flag} or {@code segment}
     * @param key the key
     * @param action what applying does
     * @param fields the top-level fields that change (updates only)
     * @param currentVersion the version read (0 when creating), for compare-and-set
     */
    record Change(String kind, String key, Action action, List<String> fields, long currentVersion) {}

    private Diff() {}

    /**
     * The plan for {@code desired} against {@code current} (by key), in {@code desired}'s order;
     * {@code corrupt} maps unreadable stored keys to their index version.
     */
    static <T> List<Change> of(
            String kind,
            List<T> desired,
            Map<String, T> current,
            Map<String, Long> corrupt,
            Function<T, String> key,
            Function<T, ObjectNode> tree,
            Function<T, Long> version) {
        List<Change> changes = new ArrayList<>();
        for (T want : desired) {
            String k = key.apply(want);
            T have = current.get(k);
            if (corrupt.containsKey(k)) {
                changes.add(new Change(kind, k, Action.REPAIR, List.of(), corrupt.get(k)));
                continue;
            }
            if (have == null) {
                changes.add(new Change(kind, k, Action.CREATE, List.of(), 0));
                continue;
            }
            List<String> fields = changedFields(tree.apply(want), tree.apply(have));
            changes.add(new Change(
                    kind, k, fields.isEmpty() ? Action.UNCHANGED : Action.UPDATE, fields, version.apply(have)));
        }
        return changes;
    }

    static List<String> changedFields(ObjectNode want, ObjectNode have) {
        Set<String> names = new LinkedHashSet<>();
        want.fieldNames().forEachRemaining(names::add);
        for (Iterator<String> it = have.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        names.removeAll(STAMPED);
        List<String> changed = new ArrayList<>();
        for (String name : names) {
            JsonNode a = want.get(name);
            JsonNode b = have.get(name);
            if (!Objects.equals(a, b)) {
                changed.add(name);
            }
        }
        return changed;
    }
}
