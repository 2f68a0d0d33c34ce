package io.flagstore.cli;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.Segment;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flagctl segment get|create|include|exclude|delete}: segments without writing JSON. */
@Command(
        name = "segment",
        mixinStandardHelpOptions = true,
        description = "Named sets of contexts that rules refer to with 'inSegment SEGMENT'.",
        subcommands = {
            SegmentCommand.Get.class,
            SegmentCommand.Create.class,
            SegmentCommand.Include.class,
            SegmentCommand.Exclude.class,
            SegmentCommand.Delete.class
        })
final class SegmentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: get, create, include, exclude or delete");
    }

    /** Whether a list of keys gains or loses the given ones. */
    enum Action {
        add,
        remove
    }

    /** {@code flagctl segment get SEGMENT}: its definition as JSON. */
    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print a segment's definition (JSON).")
    static final class Get extends ReadCommand {
        @Parameters(index = "0", paramLabel = "SEGMENT")
        String key;

        @Override
        int run(FlagAdmin admin) {
            Segment segment = admin.getSegment(key).orElseThrow(() -> new FlagNotFoundException("segment:" + key));
            out().println(FlagJson.writeSegment(segment));
            out().flush();
            return ExitCodes.OK;
        }
    }

    /** {@code flagctl segment create SEGMENT [--include K]... [--exclude K]... [--match CLAUSE]...}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create a segment: context keys always in it (--include), never in it (--exclude), and one rule of",
                "--match clauses that must all match (the clause syntax of 'rule add')."
            })
    static final class Create extends WriteCommand {
        @Parameters(index = "0", paramLabel = "SEGMENT")
        String key;

        @Option(names = "--include", paramLabel = "KEY", split = ",", description = "Context keys in it.")
        List<String> included = List.of();

        @Option(names = "--exclude", paramLabel = "KEY", split = ",", description = "Context keys never in it.")
        List<String> excluded = List.of();

        @Option(names = "--match", paramLabel = "CLAUSE", description = "A clause of its rule (repeatable).")
        List<String> match = List.of();

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        private List<Clause> clauses;

        @Override
        void validate() {
            clauses = ClauseSyntax.parseOptions(match, spec.commandLine());
        }

        @Override
        WriteResult write(FlagAdmin admin, WriteOptions writeOptions) {
            Segment segment = new Segment(
                    key, description, included, excluded, clauses.isEmpty() ? List.of() : List.of(clauses), null, 0);
            // expected version 0: only created, never overwritten
            return admin.putSegment(segment, options.writeOptionsExpecting(0));
        }

        @Override
        String summary(WriteResult result) {
            return "created segment " + key;
        }
    }

    /** What include and exclude share: read the segment, change one key list, write it compare-and-set. */
    abstract static class KeyListCommand extends WriteCommand {
        @Parameters(index = "0", paramLabel = "SEGMENT")
        String key;

        @Parameters(index = "1", paramLabel = "add|remove")
        Action action;

        @Parameters(index = "2..*", arity = "1..*", paramLabel = "CONTEXT_KEY")
        List<String> contextKeys;

        abstract List<String> keys(Segment segment);

        abstract Segment with(Segment segment, List<String> keys);

        abstract String listName();

        @Override
        WriteResult write(FlagAdmin admin, WriteOptions ignored) {
            Segment segment = admin.getSegment(key).orElseThrow(() -> new FlagNotFoundException("segment:" + key));
            Set<String> keys = new LinkedHashSet<>(keys(segment));
            boolean changed = action == Action.add ? keys.addAll(contextKeys) : keys.removeAll(contextKeys);
            if (!changed) {
                if (!options.json) {
                    out().println("nothing to change: segment " + key + " " + listName() + " list already "
                            + (action == Action.add ? "has" : "lacks") + " those keys (version " + segment.version()
                            + ")");
                    out().flush();
                }
                return null;
            }
            return admin.putSegment(
                    with(segment, new ArrayList<>(keys)), options.writeOptionsExpecting(segment.version()));
        }

        @Override
        String summary(WriteResult result) {
            return (action == Action.add ? "added " : "removed ") + Formats.plural(contextKeys.size(), "key")
                    + (action == Action.add ? " to " : " from ") + "the " + listName() + " list of segment " + key;
        }
    }

    /** {@code flagctl segment include SEGMENT add|remove KEY...}. */
    @Command(
            name = "include",
            mixinStandardHelpOptions = true,
            description = "Add or remove context keys that are always in the segment.")
    static final class Include extends KeyListCommand {
        @Override
        List<String> keys(Segment s) {
            return s.included();
        }

        @Override
        Segment with(Segment s, List<String> keys) {
            return new Segment(s.key(), s.description(), keys, s.excluded(), s.rules(), s.updatedAt(), s.version());
        }

        @Override
        String listName() {
            return "include";
        }
    }

    /** {@code flagctl segment exclude SEGMENT add|remove KEY...}. */
    @Command(
            name = "exclude",
            mixinStandardHelpOptions = true,
            description = "Add or remove context keys that are never in the segment (unless included).")
    static final class Exclude extends KeyListCommand {
        @Override
        List<String> keys(Segment s) {
            return s.excluded();
        }

        @Override
        Segment with(Segment s, List<String> keys) {
            return new Segment(s.key(), s.description(), s.included(), keys, s.rules(), s.updatedAt(), s.version());
        }

        @Override
        String listName() {
            return "exclude";
        }
    }

    /** {@code flagctl segment delete SEGMENT}: refused while a flag refers to it. */
    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Delete a segment; refused (exit 7, nothing written) while a flag's rule refers to it.")
    static final class Delete extends WriteCommand {
        @Parameters(index = "0", paramLabel = "SEGMENT")
        String key;

        @Override
        WriteResult write(FlagAdmin admin, WriteOptions writeOptions) {
            return admin.deleteSegment(key, writeOptions);
        }

        @Override
        String summary(WriteResult result) {
            return "deleted segment " + key;
        }
    }

    private SegmentCommand() {}
}
