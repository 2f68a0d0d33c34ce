package io.flagstore.cli;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flagctl rule add|remove}: a flag's targeting rules without writing JSON. */
@Command(
        name = "rule",
        mixinStandardHelpOptions = true,
        description = "Add or remove a targeting rule of a flag (see docs/cli.md for the clause syntax).",
        subcommands = {RuleCommand.Add.class, RuleCommand.Remove.class})
final class RuleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: add or remove");
    }

    /** {@code flagctl rule add KEY --clause C... --serve V|--rollout V=P... [--bucket-by A] [--position N]}. */
    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Add a rule: when every --clause matches, serve --serve VARIANT or the --rollout slices.",
                "A clause is ATTRIBUTE [not] OPERATOR VALUE[,VALUE...], e.g. 'country in US,DE', 'age gte 18',",
                "'email not endsWith @test.com', or 'inSegment beta-testers'. Rules are checked in order: --position",
                "1 puts it first (default: last). Compare-and-set against the version read."
            })
    static final class Add extends WriteCommand {
        @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
        String key;

        @Option(names = "--clause", required = true, paramLabel = "CLAUSE", description = "A condition (repeatable).")
        List<String> clauseTexts;

        @Option(names = "--serve", paramLabel = "VARIANT", description = "The variant the rule serves.")
        String serveVariant;

        @Option(
                names = "--rollout",
                paramLabel = "VARIANT=PERCENT",
                converter = Converters.Weight.class,
                description = "A rollout slice, in order (repeatable), e.g. --rollout on=50 --rollout off=50.")
        List<WeightedVariant> rollout = List.of();

        @Option(names = "--bucket-by", paramLabel = "ATTRIBUTE", description = "Bucket the rollout by this attribute.")
        String bucketBy;

        @Option(names = "--id", paramLabel = "ID", description = "The rule's id (default: rule-N).")
        String id;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(names = "--position", paramLabel = "N", description = "1 = first; default: after the others.")
        Integer position;

        private List<Clause> clauses;
        private String addedId;

        @Override
        void validate() {
            if ((serveVariant == null) == rollout.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "give exactly one of --serve VARIANT or --rollout");
            }
            if (bucketBy != null && rollout.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--bucket-by applies to a --rollout");
            }
            if (position != null && position < 1) {
                throw new ParameterException(spec.commandLine(), "--position counts from 1, not " + position);
            }
            clauses = ClauseSyntax.parseOptions(clauseTexts, spec.commandLine());
        }

        @Override
        WriteResult write(FlagAdmin admin, WriteOptions ignored) {
            Flag flag = admin.get(key).orElseThrow(() -> new FlagNotFoundException(key));
            List<Rule> rules = new ArrayList<>(flag.rules());
            Set<String> ids = rules.stream().map(Rule::id).collect(Collectors.toSet());
            addedId = id;
            for (int n = rules.size() + 1; addedId == null; n++) {
                addedId = ids.contains("rule-" + n) ? null : "rule-" + n;
            }
            Serve serve =
                    serveVariant != null ? Serve.variant(serveVariant) : Serve.rollout(new Rollout(rollout, bucketBy));
            Rule rule = new Rule(addedId, description, clauses, serve);
            rules.add(position == null ? rules.size() : Math.min(position - 1, rules.size()), rule);
            return admin.update(flag.toBuilder().rules(rules).build(), options.writeOptionsExpecting(flag.version()));
        }

        @Override
        String summary(WriteResult result) {
            return "added rule " + addedId + " to " + key;
        }
    }

    /** {@code flagctl rule remove KEY --id ID|--position N}. */
    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Remove a rule of a flag, named by --id or --position (1 = first).")
    static final class Remove extends WriteCommand {
        @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
        String key;

        @Option(names = "--id", paramLabel = "ID", description = "The rule's id.")
        String id;

        @Option(names = "--position", paramLabel = "N", description = "The rule's position, 1 = first.")
        Integer position;

        private String removedId;

        @Override
        void validate() {
            if ((id == null) == (position == null)) {
                throw new ParameterException(
                        spec.commandLine(), "name the rule with exactly one of --id or --position");
            }
        }

        @Override
        WriteResult write(FlagAdmin admin, WriteOptions ignored) {
            Flag flag = admin.get(key).orElseThrow(() -> new FlagNotFoundException(key));
            List<Rule> rules = new ArrayList<>(flag.rules());
            int index = id != null ? rules.stream().map(Rule::id).toList().indexOf(id) : position - 1;
            if (index < 0 || index >= rules.size()) {
                throw new CliException(
                        ExitCodes.NOT_FOUND,
                        "flag '" + key + "' has no rule " + (id != null ? "'" + id + "'" : "at position " + position)
                                + " (it has " + Formats.plural(rules.size(), "rule") + "): nothing written",
                        "'get " + key + "' lists its rules");
            }
            removedId = rules.remove(index).id();
            return admin.update(flag.toBuilder().rules(rules).build(), options.writeOptionsExpecting(flag.version()));
        }

        @Override
        String summary(WriteResult result) {
            return "removed rule " + removedId + " from " + key;
        }
    }

    private RuleCommand() {}
}
