package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.redis.FlagAdmin;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flagctl list}: every flag, filtered. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List flags (sorted by key).")
final class ListCommand extends ReadCommand {
    enum State {
        on,
        off
    }

    @Option(names = "--tag", paramLabel = "TAG", description = "Only flags with this tag (repeatable: all of them).")
    List<String> tags = List.of();

    @Option(names = "--state", paramLabel = "on|off", description = "Only flags switched on, or off.")
    State state;

    @Option(names = "--owner", paramLabel = "TEAM", description = "Only flags with this owner.")
    String owner;

    @Override
    int run(FlagAdmin admin) {
        List<Flag> flags = admin.list().stream()
                .filter(f -> f.tags().containsAll(tags))
                .filter(f -> state == null || f.enabled() == (state == State.on))
                .filter(f -> owner == null || owner.equals(f.owner()))
                .sorted(Comparator.comparing(Flag::key))
                .toList();
        if (json) {
            ObjectNode node = Json.object();
            node.put("namespace", connection.namespace);
            ArrayNode array = node.putArray("flags");
            flags.forEach(f -> array.add(FlagJson.toTree(f)));
            Json.print(out(), node);
            return ExitCodes.OK;
        }
        if (flags.isEmpty()) {
            out().println("no flags" + (tags.isEmpty() && state == null && owner == null ? "" : " match")
                    + " in namespace '" + connection.namespace + "'");
            out().flush();
            return ExitCodes.OK;
        }
        Table table = new Table("KEY", "TYPE", "STATE", "SERVES", "VERSION", "OWNER", "TAGS", "UPDATED");
        for (Flag f : flags) {
            table.row(
                    f.key(),
                    f.type().name().toLowerCase(java.util.Locale.ROOT),
                    Formats.state(f),
                    Formats.serves(f),
                    f.version(),
                    f.owner(),
                    f.tags().isEmpty() ? null : String.join(",", f.tags()),
                    Formats.time(f.updatedAt()));
        }
        table.print(out());
        return ExitCodes.OK;
    }
}
