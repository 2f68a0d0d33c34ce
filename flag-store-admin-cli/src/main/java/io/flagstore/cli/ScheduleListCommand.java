package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.FlagScheduler;
import io.flagstore.redis.ScheduleEntry;
import io.flagstore.redis.ScheduledChange;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code flagctl schedule list}: the pending scheduled changes, soonest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List pending scheduled changes, soonest first.")
final class ScheduleListCommand extends ReadCommand {
    @Override
    int run(FlagAdmin admin) {
        List<ScheduleEntry> entries = new FlagScheduler(admin).scheduled();
        if (json) {
            ObjectNode node = Json.object();
            ArrayNode array = node.putArray("scheduled");
            entries.forEach(e -> array.add(json(e)));
            Json.print(out(), node);
            return ExitCodes.OK;
        }
        if (entries.isEmpty()) {
            out().println("no scheduled changes");
            out().flush();
            return ExitCodes.OK;
        }
        Table table = new Table("ID", "DUE", "CHANGE", "ACTOR", "REASON");
        entries.forEach(e -> table.row(e.id(), e.change().due(), describe(e.change()), e.actor(), e.reason()));
        table.print(out());
        return ExitCodes.OK;
    }

    /** One line for a person: {@code enable checkout}, {@code rollout checkout on=10% off=90%}, ... */
    static String describe(ScheduledChange c) {
        return switch (c.kind()) {
            case ENABLE -> "enable " + c.key();
            case DISABLE -> "disable " + c.key();
            case ROLLOUT -> "rollout " + c.key() + " "
                    + c.weights().stream().map(Formats::weight).collect(Collectors.joining(" "));
            case BATCH -> "batch put " + c.puts().stream().map(Flag::key).collect(Collectors.joining(","))
                    + (c.deletes().isEmpty() ? "" : " delete " + String.join(",", c.deletes()));
        };
    }

    /** The JSON of a change about to be or just scheduled (docs/cli.md, "schedule"). */
    static ObjectNode json(String id, ScheduledChange c) {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
        node.put("key", c.key());
        Json.putInstant(node, "due", c.due());
        node.put("change", describe(c));
        if (!c.weights().isEmpty()) {
            ObjectNode weights = node.putObject("weights");
            c.weights().forEach(w -> weights.put(w.variant(), w.weight()));
        }
        if (c.kind() == ScheduledChange.Kind.BATCH) {
            ArrayNode puts = node.putArray("puts");
            c.puts().forEach(f -> puts.add(FlagJson.toTree(f)));
            node.set("deletes", Json.strings(c.deletes()));
        }
        return node;
    }

    /** {@link #json(String, ScheduledChange)} plus what became of it. */
    static ObjectNode json(ScheduleEntry e) {
        ObjectNode node = json(e.id(), e.change());
        node.put("state", e.state().name().toLowerCase(Locale.ROOT));
        node.put("actor", e.actor());
        node.put("reason", e.reason());
        Json.putInstant(node, "created", e.created());
        Json.putInstant(node, "settledAt", e.settledAt());
        node.put("settledBy", e.settledBy());
        if (e.state() == ScheduleEntry.State.APPLIED) {
            node.put("appliedVersion", e.appliedVersion());
        }
        node.put("detail", e.detail());
        return node;
    }
}
