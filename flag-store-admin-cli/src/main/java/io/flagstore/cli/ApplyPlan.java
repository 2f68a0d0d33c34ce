package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.Segment;
import io.flagstore.redis.Batch;
import io.flagstore.redis.NamespaceContents;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What making a document the truth for the keys it names changes in a namespace (shared by {@code
 * apply} and {@code promote}): the plan to show, and the batch that writes exactly that plan.
 */
final class ApplyPlan {
    private final FlagDocument document;
    private final List<Diff.Change> changes = new ArrayList<>();
    private boolean reseedPlan; // a re-seed's plan: its count line always says how many it removes

    private ApplyPlan(FlagDocument document) {
        this.document = document;
    }

    /** The plan for {@code document} against what the namespace holds; keys it does not name stay. */
    static ApplyPlan of(FlagDocument document, NamespaceContents stored) {
        ApplyPlan plan = new ApplyPlan(document);
        plan.changes.addAll(Diff.of(
                "flag",
                document.flags(),
                stored.flags().stream().collect(Collectors.toMap(Flag::key, Function.identity())),
                corrupt(stored, "flag"),
                Flag::key,
                FlagJson::toTree,
                Flag::version));
        plan.changes.addAll(Diff.of(
                "segment",
                document.segments(),
                stored.segments().stream().collect(Collectors.toMap(Segment::key, Function.identity())),
                corrupt(stored, "segment"),
                Segment::key,
                FlagJson::segmentToTree,
                Segment::version));
        return plan;
    }

    /** Adds the stored keys the document does not name, as removals (a re-seed's plan). */
    ApplyPlan withRemovals(NamespaceContents stored) {
        reseedPlan = true;
        changes.addAll(removals("flag", keys(stored, "flag", Flag::key, stored.flags()), document.flags(), Flag::key));
        changes.addAll(removals(
                "segment",
                keys(stored, "segment", Segment::key, stored.segments()),
                document.segments(),
                Segment::key));
        return this;
    }

    List<Diff.Change> changes() {
        return changes;
    }

    boolean changesNothing() {
        return changes.stream().allMatch(c -> c.action() == Diff.Action.UNCHANGED);
    }

    /**
     * One batch writing the plan: each item compare-and-set against the version the plan was made
     * from (0: must not exist), so what is written is exactly what was shown.
     */
    Batch batch() {
        Batch.Builder batch = Batch.builder();
        for (Flag f : document.flags()) {
            Diff.Change c = change("flag", f.key());
            Flag put = f.toBuilder().version(0).build();
            if (c.action() == Diff.Action.REPAIR && c.currentVersion() == 0) {
                batch.put(put); // a stray key outside the index: replaced whatever it holds
            } else if (c.action() != Diff.Action.UNCHANGED) {
                batch.put(put, c.currentVersion());
            }
        }
        for (Segment s : document.segments()) {
            Diff.Change c = change("segment", s.key());
            Segment put = s.withVersion(0, s.updatedAt());
            if (c.action() == Diff.Action.REPAIR && c.currentVersion() == 0) {
                batch.putSegment(put);
            } else if (c.action() != Diff.Action.UNCHANGED) {
                batch.putSegment(put, c.currentVersion());
            }
        }
        return batch.build();
    }

    /** The plan as a table and a count line; {@code epilogue} ends the count line (may be empty). */
    void print(PrintWriter out, String epilogue) {
        Table table = new Table("ACTION", "KIND", "KEY", "CHANGES");
        for (Diff.Change c : changes) {
            table.row(
                    c.action().name().toLowerCase(Locale.ROOT),
                    c.kind(),
                    c.key(),
                    c.action() == Diff.Action.UPDATE ? String.join(", ", c.fields()) : "");
        }
        table.print(out);
        long creates = count(Diff.Action.CREATE);
        long updates = count(Diff.Action.UPDATE);
        long removals = count(Diff.Action.REMOVE);
        long repairs = count(Diff.Action.REPAIR);
        out.println("plan: " + creates + " to create, " + updates + " to update, "
                + (repairs > 0 ? repairs + " corrupt to replace, " : "")
                + (reseedPlan ? removals + " to remove, " : "")
                + (changes.size() - creates - updates - removals - repairs) + " unchanged" + epilogue);
        out.flush();
    }

    /** The plan in a {@code --json} result, as {@code changes} ({@code null}: none was made). */
    static void toJson(ApplyPlan plan, ObjectNode node) {
        ArrayNode array = node.putArray("changes");
        for (Diff.Change c : plan == null ? List.<Diff.Change>of() : plan.changes) {
            ObjectNode change = array.addObject();
            change.put("kind", c.kind());
            change.put("key", c.key());
            change.put("action", c.action().name().toLowerCase(Locale.ROOT));
            change.set("fields", Json.strings(c.fields()));
        }
    }

    private long count(Diff.Action action) {
        return changes.stream().filter(c -> c.action() == action).count();
    }

    private Diff.Change change(String kind, String key) {
        return changes.stream()
                .filter(c -> c.kind().equals(kind) && c.key().equals(key))
                .findFirst()
                .orElseThrow();
    }

    /** The unreadable stored keys of {@code kind}, with their index versions. */
    private static Map<String, Long> corrupt(NamespaceContents stored, String kind) {
        Map<String, Long> out = new HashMap<>();
        stored.corrupt().stream().filter(c -> c.kind().equals(kind)).forEach(c -> out.put(c.key(), c.version()));
        return out;
    }

    /** Every stored key of {@code kind}, readable or not. */
    private static <T> List<String> keys(
            NamespaceContents stored, String kind, Function<T, String> key, List<T> readable) {
        List<String> out = new ArrayList<>(readable.stream().map(key).toList());
        stored.corrupt().stream().filter(c -> c.kind().equals(kind)).forEach(c -> out.add(c.key()));
        return out;
    }

    /** Stored keys a re-seed removes (without --force the write is refused instead, as they exist). */
    private static <T> List<Diff.Change> removals(
            String kind, List<String> stored, List<T> desired, Function<T, String> key) {
        List<String> kept = desired.stream().map(key).toList();
        return stored.stream()
                .filter(k -> !kept.contains(k))
                .map(k -> new Diff.Change(kind, k, Diff.Action.REMOVE, List.of(), 0))
                .toList();
    }
}
