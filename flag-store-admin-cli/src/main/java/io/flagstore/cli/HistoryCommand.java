package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.redis.AuditEntry;
import io.flagstore.redis.FlagAdmin;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flagctl history [KEY]}: the audit stream, newest first. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "Show the audit trail (newest first): of one flag, or of the whole namespace.")
final class HistoryCommand extends ReadCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "KEY", description = "Only changes of this flag.")
    String key;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            description = "At most N entries (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(FlagAdmin admin) {
        if (limit < 1) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--limit must be at least 1, not " + limit);
        }
        List<AuditEntry> entries = key == null ? admin.history(limit) : admin.history(key, limit);
        if (json) {
            ObjectNode node = Json.object();
            ArrayNode array = node.putArray("entries");
            entries.forEach(e -> array.add(Audit.json(e, true)));
            Json.print(out(), node);
            return ExitCodes.OK;
        }
        if (entries.isEmpty()) {
            out().println("no history" + (key == null ? "" : " for '" + key + "'"));
            out().flush();
            return ExitCodes.OK;
        }
        Table table = new Table("VERSION", "TIME", "OP", "ACTOR", "KEYS", "REASON");
        for (AuditEntry e : entries) {
            table.row(
                    e.version(),
                    Formats.time(e.writtenAt()),
                    e.op(),
                    e.actor(),
                    String.join(",", e.keys()),
                    e.reason());
        }
        table.print(out());
        return ExitCodes.OK;
    }
}
