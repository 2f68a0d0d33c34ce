package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.Segment;
import io.flagstore.redis.Batch;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.NamespaceContents;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flagctl apply -f FILE [--dry-run] [--reseed [--force]]}: the file becomes the truth for the
 * keys it names; with {@code --reseed}, the whole namespace (a restore after a data loss).
 */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Make a file the truth for the flags and segments it names, in one atomic write.",
            "FILE is {\"flags\":[...],\"segments\":[...]} as written by export; keys not in it are left alone.",
            "Prints the plan first (create / update with the changed fields / unchanged); --dry-run stops there.",
            "Each key is compare-and-set against the version the plan was made from.",
            "--reseed restores a lost namespace from FILE (an export, or a service's backup file): FILE becomes the",
            "whole namespace under a new epoch, which services still holding the lost data reload from."
        })
final class ApplyCommand extends WriteCommand {
    @Option(
            names = {"-f", "--file"},
            required = true,
            paramLabel = "FILE",
            description = "The document to apply.")
    Path file;

    @Option(names = "--dry-run", description = "Print the plan and write nothing.")
    boolean dryRun;

    @Option(
            names = "--reseed",
            description = "Re-seed: FILE becomes the whole namespace, as a deliberate restore (new epoch,"
                    + " origin seed). The namespace must be empty (after a data loss) unless --force.")
    boolean reseed;

    @Option(
            names = "--force",
            description = "With --reseed: replace whatever the namespace holds; keys not in FILE are removed.")
    boolean force;

    private List<Diff.Change> plan = List.of();

    @Override
    void validate() {
        if (options.expectVersion != null) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--expect-version does not apply to apply: each key is checked against the version the plan was made from");
        }
        if (force && !reseed) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--force only applies to --reseed (it replaces the whole namespace)");
        }
    }

    @Override
    WriteResult write(FlagAdmin admin, WriteOptions writeOptions) {
        String text = Files.read(file);
        FlagDocument doc = FlagJson.readDocument(text);
        if (reseed) {
            requireSameNamespace(text);
        }
        NamespaceContents stored = admin.contents();
        plan = new ArrayList<>();
        plan.addAll(Diff.of(
                "flag",
                doc.flags(),
                stored.flags().stream().collect(Collectors.toMap(Flag::key, Function.identity())),
                corrupt(stored, "flag"),
                Flag::key,
                FlagJson::toTree,
                Flag::version));
        plan.addAll(Diff.of(
                "segment",
                doc.segments(),
                stored.segments().stream().collect(Collectors.toMap(Segment::key, Function.identity())),
                corrupt(stored, "segment"),
                Segment::key,
                FlagJson::segmentToTree,
                Segment::version));
        if (reseed) {
            plan.addAll(removals("flag", keys(stored, "flag", Flag::key, stored.flags()), doc.flags(), Flag::key));
            plan.addAll(removals(
                    "segment", keys(stored, "segment", Segment::key, stored.segments()), doc.segments(), Segment::key));
        }
        if (!options.json) {
            printPlan(out());
        }
        boolean nothingToDo = !reseed && plan.stream().allMatch(c -> c.action() == Diff.Action.UNCHANGED);
        if (dryRun || nothingToDo) {
            if (!options.json) {
                out().println(dryRun ? "dry run: nothing written" : "nothing to apply: " + file + " matches the store");
                out().flush();
            }
            return null;
        }
        if (reseed) {
            return force ? admin.forceReseed(doc, writeOptions) : admin.reseed(doc, writeOptions);
        }
        // Each item is compare-and-set against the version the plan was made from (0: must not
        // exist), so what is written is exactly what was shown.
        Batch.Builder batch = Batch.builder();
        for (Flag f : doc.flags()) {
            Diff.Change c = change("flag", f.key());
            Flag put = f.toBuilder().version(0).build();
            if (c.action() == Diff.Action.REPAIR && c.currentVersion() == 0) {
                batch.put(put); // a stray key outside the index: replaced whatever it holds
            } else if (c.action() != Diff.Action.UNCHANGED) {
                batch.put(put, c.currentVersion());
            }
        }
        for (Segment s : doc.segments()) {
            Diff.Change c = change("segment", s.key());
            Segment put = s.withVersion(0, s.updatedAt());
            if (c.action() == Diff.Action.REPAIR && c.currentVersion() == 0) {
                batch.putSegment(put);
            } else if (c.action() != Diff.Action.UNCHANGED) {
                batch.putSegment(put, c.currentVersion());
            }
        }
        return admin.apply(batch.build(), writeOptions);
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

    /** A service's backup file names its namespace: restoring it into another is a mistake. */
    private void requireSameNamespace(String text) {
        String namespace = Json.read(text).path("namespace").asText(null);
        if (namespace != null && !namespace.equals(connection.namespace)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    file + " is a backup of namespace '" + namespace + "', not '" + connection.namespace
                            + "': add --namespace " + namespace);
        }
    }

    private Diff.Change change(String kind, String key) {
        return plan.stream()
                .filter(c -> c.kind().equals(kind) && c.key().equals(key))
                .findFirst()
                .orElseThrow();
    }

    private void printPlan(PrintWriter out) {
        Table table = new Table("ACTION", "KIND", "KEY", "CHANGES");
        for (Diff.Change c : plan) {
            table.row(
                    c.action().name().toLowerCase(Locale.ROOT),
                    c.kind(),
                    c.key(),
                    c.action() == Diff.Action.UPDATE ? String.join(", ", c.fields()) : "");
        }
        table.print(out);
        long creates =
                plan.stream().filter(c -> c.action() == Diff.Action.CREATE).count();
        long updates =
                plan.stream().filter(c -> c.action() == Diff.Action.UPDATE).count();
        long removes =
                plan.stream().filter(c -> c.action() == Diff.Action.REMOVE).count();
        long repairs =
                plan.stream().filter(c -> c.action() == Diff.Action.REPAIR).count();
        out.println("plan: " + creates + " to create, " + updates + " to update, "
                + (repairs > 0 ? repairs + " corrupt to replace, " : "")
                + (reseed ? removes + " to remove, " : "") + (plan.size() - creates - updates - removes - repairs)
                + " unchanged" + (reseed ? "; re-seed: a new epoch every service reloads from" : ""));
        out.flush();
    }

    @Override
    void decorateJson(ObjectNode node) {
        node.put("dryRun", dryRun);
        node.put("reseed", reseed);
        ArrayNode changes = node.putArray("changes");
        for (Diff.Change c : plan) {
            ObjectNode change = changes.addObject();
            change.put("kind", c.kind());
            change.put("key", c.key());
            change.put("action", c.action().name().toLowerCase(Locale.ROOT));
            change.set("fields", Json.strings(c.fields()));
        }
    }

    @Override
    String summary(WriteResult result) {
        return (reseed ? "re-seeded namespace '" + connection.namespace + "' with " : "applied ")
                + Formats.plural(result.keys().size(), reseed ? "item" : "change") + " from " + file;
    }
}
