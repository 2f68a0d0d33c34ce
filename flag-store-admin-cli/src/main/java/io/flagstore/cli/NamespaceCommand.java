package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.FleetView;
import io.flagstore.redis.NamespaceDropResult;
import io.flagstore.redis.NamespaceSummary;
import io.flagstore.redis.ServiceInstance;
import io.flagstore.redis.WriteOptions;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flagctl namespace list|drop}: the namespaces of one Redis. */
@Command(
        name = "namespace",
        mixinStandardHelpOptions = true,
        description = "The namespaces (environments) of this Redis: list them, or drop one.",
        subcommands = {NamespaceCommand.List.class, NamespaceCommand.Drop.class})
final class NamespaceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list or drop");
    }

    /** {@code flagctl namespace list}. */
    @Command(
            name = "list",
            aliases = "ls",
            mixinStandardHelpOptions = true,
            description = "Every namespace written to in this Redis, with its version and counts (SCAN, never KEYS).")
    static final class List extends ReadCommand {
        @Override
        int run(FlagAdmin admin) {
            java.util.List<NamespaceSummary> namespaces = admin.namespaces();
            if (json) {
                ArrayNode array = Json.MAPPER.createArrayNode();
                namespaces.forEach(ns -> array.addObject()
                        .put("name", ns.name())
                        .put("version", ns.version())
                        .put("flags", ns.flags())
                        .put("segments", ns.segments()));
                ObjectNode node = Json.object();
                node.set("namespaces", array);
                Json.print(out(), node);
            } else if (namespaces.isEmpty()) {
                out().println("no namespaces in this Redis");
            } else {
                Table table = new Table("NAMESPACE", "VERSION", "FLAGS", "SEGMENTS");
                namespaces.forEach(ns -> table.row(ns.name(), ns.version(), ns.flags(), ns.segments()));
                table.print(out());
            }
            return ExitCodes.OK;
        }
    }

    /** {@code flagctl namespace drop NS --yes --reason R}. */
    @Command(
            name = "drop",
            mixinStandardHelpOptions = true,
            description = {
                "Drop a namespace: every flag and segment deleted in one audited write, then every other key of the",
                "namespace removed but its audit stream (its history, ending with the drop, stays readable with",
                "'history'). Needs the admin role, --yes and --reason. Refused while service instances are live on",
                "it (they would serve code defaults): stop them first, or --force. Safe to run again."
            })
    static final class Drop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConnectionOptions connection;

        @Parameters(
                index = "0",
                paramLabel = "NS",
                description = "The namespace to drop (--namespace is ignored here).")
        String dropped;

        @Option(names = "--yes", description = "Required: there is no undo (only a backup restores it).")
        boolean yes;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded in the audit stream).")
        String reason;

        @Option(names = "--actor", paramLabel = "NAME", description = "Who (default: the OS user).")
        String actor;

        @Option(names = "--force", description = "Drop even while service instances are live on it.")
        boolean force;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public Integer call() {
            if (!yes) {
                throw new CliException(
                        ExitCodes.USAGE,
                        "refusing to drop namespace '" + dropped + "' without --yes: nothing written",
                        "export it first ('export -n " + dropped + " -o backup.json'), then add --yes");
            }
            if (reason == null || reason.isBlank()) {
                throw new CliException(
                        ExitCodes.USAGE,
                        "refusing to drop namespace '" + dropped + "' without --reason: nothing written",
                        "say why with --reason, it stays in the namespace's audit stream");
            }
            connection.namespace = dropped;
            try (FlagAdmin admin = connection.connect()) {
                FleetView fleet = admin.fleet();
                if (!fleet.live().isEmpty() && !force) {
                    throw new CliException(
                            ExitCodes.ERROR,
                            fleet.live().size() + " service instance(s) are live on namespace '" + dropped + "' ("
                                    + fleet.live().stream()
                                            .map(ServiceInstance::service)
                                            .distinct()
                                            .collect(Collectors.joining(", "))
                                    + "): nothing written",
                            "stop them first, or add --force");
                }
                String who = WriteOptionsMixin.actor(actor);
                NamespaceDropResult result = admin.dropNamespace(new WriteOptions(who, reason, null));
                print(result);
            }
            return ExitCodes.OK;
        }

        private void print(NamespaceDropResult result) {
            var out = spec.commandLine().getOut();
            if (json) {
                ObjectNode node = Json.object().put("namespace", dropped).put("keysRemoved", result.keysRemoved());
                result.deletion().ifPresent(d -> node.put("deletionVersion", d.version())
                        .set("deleted", Json.strings(d.keys())));
                Json.print(out, node);
                return;
            }
            out.println(result.deletion()
                            .map(d -> "dropped namespace '" + dropped + "': "
                                    + d.keys().size() + " flags and segments deleted at version " + d.version() + ", ")
                            .orElse("dropped namespace '" + dropped + "': no flags or segments left, ")
                    + result.keysRemoved() + " other keys removed; its history stays readable ('history -n "
                    + dropped + "')");
        }
    }

    private NamespaceCommand() {}
}
