package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Segment;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.NamespaceContents;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code flagctl promote --from staging --to prod [KEY...|--tag T] [--dry-run]}. */
@Command(
        name = "promote",
        mixinStandardHelpOptions = true,
        description = {
            "Copy flag definitions from one namespace to another (staging to prod), with the segments they use,",
            "as one atomic write. Prints the plan first (create / update with the changed fields, `enabled`",
            "included / unchanged); --dry-run stops there. Each key is compare-and-set against the version the",
            "plan was made from. No KEY and no --tag: every flag of --from."
        })
final class PromoteCommand extends WriteCommand {
    @Option(names = "--from", required = true, paramLabel = "NS", description = "The namespace to copy from.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "NS", description = "The namespace to write to.")
    String to;

    @Parameters(paramLabel = "KEY", arity = "0..*", description = "The flags to promote (default: all).")
    List<String> keys = List.of();

    @Option(names = "--tag", paramLabel = "TAG", description = "Promote the flags with this tag.")
    String tag;

    @Option(names = "--dry-run", description = "Print the plan and write nothing.")
    boolean dryRun;

    private ApplyPlan plan;

    @Override
    void validate() {
        if (from.equals(to)) {
            throw new ParameterException(spec.commandLine(), "--from and --to are both '" + from + "'");
        }
        if (tag != null && !keys.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(), "name flags as KEY... or select them with --tag, not both");
        }
        if (options.expectVersion != null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--expect-version does not apply to promote: each key is checked against the version the plan was"
                            + " made from");
        }
        connection.namespace = to;
    }

    @Override
    WriteResult write(FlagAdmin target, WriteOptions writeOptions) {
        FlagDocument promoted;
        try (FlagAdmin source =
                FlagAdmin.connect(target.options().toBuilder().namespace(from).build())) {
            promoted = select(source.contents());
        }
        plan = ApplyPlan.of(promoted, target.contents());
        if (!options.json) {
            plan.print(out(), " (from '" + from + "' to '" + to + "')");
        }
        if (dryRun || plan.changesNothing()) {
            if (!options.json) {
                out().println(dryRun ? "dry run: nothing written" : "nothing to promote: '" + to + "' already matches");
                out().flush();
            }
            return null;
        }
        return target.apply(plan.batch(), writeOptions);
    }

    /** The selected flags of the source, and every segment their rules name. */
    private FlagDocument select(NamespaceContents source) {
        Map<String, Flag> byKey = source.flags().stream().collect(Collectors.toMap(Flag::key, Function.identity()));
        List<Flag> flags;
        if (!keys.isEmpty()) {
            List<String> missing =
                    keys.stream().filter(k -> !byKey.containsKey(k)).toList();
            if (!missing.isEmpty()) {
                throw new CliException(
                        ExitCodes.NOT_FOUND,
                        "no flag " + String.join(", ", missing) + " in namespace '" + from + "': nothing written",
                        "'list -n " + from + "' shows its flags");
            }
            flags = keys.stream().distinct().map(byKey::get).toList();
        } else {
            flags = source.flags().stream()
                    .filter(f -> tag == null || f.tags().contains(tag))
                    .toList();
        }
        if (flags.isEmpty()) {
            throw new CliException(
                    ExitCodes.NOT_FOUND,
                    "no flag" + (tag == null ? "" : " tagged '" + tag + "'") + " in namespace '" + from
                            + "': nothing written",
                    null);
        }
        Map<String, Segment> segments =
                source.segments().stream().collect(Collectors.toMap(Segment::key, Function.identity()));
        Set<String> named = new LinkedHashSet<>();
        flags.forEach(f -> f.rules().stream()
                .map(Rule::clauses)
                .flatMap(List::stream)
                .filter(c -> c.op() == Operator.IN_SEGMENT)
                .map(Clause::values)
                .flatMap(List::stream)
                .forEach(v -> named.add(v.asText())));
        List<Segment> used = new ArrayList<>();
        for (String key : named) {
            // a segment missing in the source is left to validation, which names it
            if (segments.containsKey(key)) {
                used.add(segments.get(key));
            }
        }
        return new FlagDocument(flags, used);
    }

    @Override
    void decorateJson(ObjectNode node) {
        node.put("dryRun", dryRun);
        node.put("from", from);
        node.put("to", to);
        ApplyPlan.toJson(plan, node);
    }

    @Override
    String summary(WriteResult result) {
        return "promoted " + Formats.plural(result.keys().size(), "change") + " from '" + from + "' to '" + to + "'";
    }
}
