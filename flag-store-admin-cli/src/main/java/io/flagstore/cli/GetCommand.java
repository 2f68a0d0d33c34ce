package io.flagstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.redis.AuditEntry;
import io.flagstore.redis.FlagAdmin;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code flagctl get KEY}: the definition, its version and its last change. */
@Command(
        name = "get",
        aliases = "show",
        mixinStandardHelpOptions = true,
        description = "Show a flag: definition, version, last change.")
final class GetCommand extends ReadCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Override
    int run(FlagAdmin admin) {
        Flag flag;
        try {
            flag = admin.get(key).orElseThrow(() -> new FlagNotFoundException(key));
        } catch (InvalidFlagException e) {
            throw Corruption.of(spec.root().name(), key, e);
        }
        List<AuditEntry> last = admin.history(key, 1);
        AuditEntry change = last.isEmpty() ? null : last.get(0);
        if (json) {
            ObjectNode node = Json.object();
            node.set("flag", FlagJson.toTree(flag));
            if (change == null) {
                node.putNull("lastChange");
            } else {
                node.set("lastChange", Audit.json(change, false));
            }
            Json.print(out(), node);
            return ExitCodes.OK;
        }
        PrintWriter out = out();
        Table fields = new Table("FIELD", "VALUE");
        fields.row("key", flag.key());
        fields.row("type", flag.type().name().toLowerCase(Locale.ROOT));
        fields.row("state", Formats.state(flag) + " (serving " + Formats.serves(flag) + ")");
        fields.row("version", flag.version());
        fields.row("description", flag.description());
        fields.row("owner", flag.owner());
        fields.row("tags", flag.tags().isEmpty() ? null : String.join(", ", flag.tags()));
        fields.row(
                "temporary",
                flag.temporary()
                        ? "yes" + (flag.expiresAt() == null ? "" : ", expires " + Formats.time(flag.expiresAt()))
                        : "no");
        fields.row("off variant", flag.offVariant());
        fields.row("fallthrough", Formats.serve(flag.fallthrough()));
        for (Map.Entry<String, JsonNode> v : flag.variants().entrySet()) {
            fields.row("variant " + v.getKey(), Json.write(v.getValue(), false));
        }
        for (Map.Entry<String, List<String>> t : flag.targets().entrySet()) {
            fields.row("targets " + t.getKey(), String.join(", ", t.getValue()));
        }
        JsonNode tree = FlagJson.toTree(flag);
        if (tree.has("rules")) {
            int i = 1;
            for (JsonNode rule : tree.get("rules")) {
                fields.row("rule " + i++, Json.write(rule, false));
            }
        }
        if (tree.has("prerequisites")) {
            fields.row("prerequisites", Json.write(tree.get("prerequisites"), false));
        }
        fields.row("created", Formats.time(flag.createdAt()));
        fields.row(
                "updated",
                Formats.time(flag.updatedAt()) + (flag.updatedBy() == null ? "" : " by " + flag.updatedBy()));
        if (change != null) {
            fields.row(
                    "last change",
                    "v" + change.version() + " " + change.op() + " by " + change.actor() + " at "
                            + Formats.time(change.writtenAt())
                            + (change.reason() == null || change.reason().isEmpty() ? "" : ": " + change.reason()));
        }
        fields.print(out);
        return ExitCodes.OK;
    }
}
