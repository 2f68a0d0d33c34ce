package io.flagstore.core.model;

import static io.flagstore.core.model.FieldPath.field;
import static io.flagstore.core.model.FieldPath.index;
import static io.flagstore.core.model.Problems.quote;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks the references between the flags and segments of one set, as {@link
 * FlagValidator#problemsInSet} describes. Kept apart from the checks of one item because these need
 * the whole set, while an item is valid on its own whatever else the set holds.
 */
final class SetReferenceCheck {
    private static final FieldPath PREREQUISITES = field(FieldPath.ROOT, "prerequisites");
    private static final FieldPath RULES = field(FieldPath.ROOT, "rules");

    private SetReferenceCheck() {}

    /** The problems of the set, in flag key order (see {@link FlagValidator#problemsInSet}). */
    static List<String> problems(Map<String, Flag> flags, Map<String, Segment> segments) {
        List<String> problems = new ArrayList<>();
        Map<String, Flag> sorted = new TreeMap<>(flags);
        sorted.forEach((key, flag) -> {
            String at = "flag " + key + ": ";
            if (!key.equals(flag.key())) {
                problems.add(at + "key: " + quote(flag.key()) + " is stored under the key " + quote(key));
            }
            for (int i = 0; i < flag.prerequisites().size(); i++) {
                Prerequisite p = flag.prerequisites().get(i);
                Flag target = flags.get(p.flagKey());
                FieldPath path = index(PREREQUISITES, i);
                if (target == null) {
                    problems.add(at + field(path, "flagKey") + ": no flag " + quote(p.flagKey()) + " in the set");
                } else if (!target.variants().containsKey(p.variant())) {
                    problems.add(at + field(path, "variant") + ": flag " + quote(p.flagKey()) + " has no variant "
                            + quote(p.variant()) + " (variants: "
                            + String.join(", ", target.variants().keySet())
                            + ")");
                }
            }
            for (int r = 0; r < flag.rules().size(); r++) {
                List<Clause> clauses = flag.rules().get(r).clauses();
                FieldPath clausesPath = field(index(RULES, r), "clauses");
                for (int c = 0; c < clauses.size(); c++) {
                    Clause clause = clauses.get(c);
                    if (clause.op() != Operator.IN_SEGMENT) {
                        continue;
                    }
                    FieldPath valuesPath = field(index(clausesPath, c), "values");
                    for (int v = 0; v < clause.values().size(); v++) {
                        JsonNode value = clause.values().get(v);
                        if (value.isTextual() && !segments.containsKey(value.textValue())) {
                            problems.add(at + index(valuesPath, v) + ": no segment " + quote(value.textValue())
                                    + " in the set");
                        }
                    }
                }
            }
        });
        new TreeMap<>(segments).forEach((key, segment) -> {
            if (!key.equals(segment.key())) {
                problems.add(
                        "segment " + key + ": key: " + quote(segment.key()) + " is stored under the key " + quote(key));
            }
        });
        for (List<String> cycle : prerequisiteCycles(sorted)) {
            problems.add("flag " + cycle.get(0) + ": prerequisites: cycle " + String.join(" -> ", cycle));
        }
        return problems;
    }

    /** Cycles found by depth-first search, each once, rotated to start at its smallest key. */
    private static Set<List<String>> prerequisiteCycles(Map<String, Flag> flags) {
        Set<List<String>> cycles = new LinkedHashSet<>();
        Map<String, Integer> state = new HashMap<>(); // absent: new, 1: on the path, 2: done
        for (String start : flags.keySet()) {
            if (state.containsKey(start)) {
                continue;
            }
            // iterative, so a long prerequisite chain cannot overflow the stack
            Deque<String> path = new ArrayDeque<>();
            Deque<Integer> next = new ArrayDeque<>();
            path.push(start);
            next.push(0);
            state.put(start, 1);
            while (!path.isEmpty()) {
                String key = path.peek();
                int i = next.pop();
                List<Prerequisite> prerequisites = flags.get(key).prerequisites();
                if (i >= prerequisites.size()) {
                    state.put(key, 2);
                    path.pop();
                    continue;
                }
                next.push(i + 1);
                String to = prerequisites.get(i).flagKey();
                Integer s = state.get(to);
                if (s == null && flags.containsKey(to)) {
                    state.put(to, 1);
                    path.push(to);
                    next.push(0);
                } else if (s != null && s == 1) {
                    cycles.add(cycle(path, to));
                }
            }
        }
        return cycles;
    }

    private static List<String> cycle(Deque<String> path, String to) {
        List<String> keys = new ArrayList<>();
        for (var it = path.descendingIterator(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.isEmpty() || key.equals(to)) {
                keys.add(key);
            }
        }
        int smallest = 0;
        for (int i = 1; i < keys.size(); i++) {
            if (keys.get(i).compareTo(keys.get(smallest)) < 0) {
                smallest = i;
            }
        }
        List<String> cycle = new ArrayList<>(keys.subList(smallest, keys.size()));
        cycle.addAll(keys.subList(0, smallest));
        cycle.add(cycle.get(0));
        return cycle;
    }
}
