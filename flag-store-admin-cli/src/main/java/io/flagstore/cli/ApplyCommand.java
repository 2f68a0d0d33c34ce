package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.FlagJson;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.NamespaceContents;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.WriteResult;
import java.nio.file.Path;
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

    private ApplyPlan plan;

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
        plan = ApplyPlan.of(doc, stored);
        if (reseed) {
            plan.withRemovals(stored);
        }
        if (!options.json) {
            plan.print(out(), reseed ? "; re-seed: a new epoch every service reloads from" : "");
        }
        boolean nothingToDo = !reseed && plan.changesNothing();
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
        return admin.apply(plan.batch(), writeOptions);
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

    @Override
    void decorateJson(ObjectNode node) {
        node.put("dryRun", dryRun);
        node.put("reseed", reseed);
        ApplyPlan.toJson(plan, node);
    }

    @Override
    String summary(WriteResult result) {
        return (reseed ? "re-seeded namespace '" + connection.namespace + "' with " : "applied ")
                + Formats.plural(result.keys().size(), reseed ? "item" : "change") + " from " + file;
    }
}
