package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.FlagAdmin;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flagctl stale}: flags that are debt (docs/flag-debt.md). */
@Command(
        name = "stale",
        mixinStandardHelpOptions = true,
        description = {
            "List flags that look removable: not evaluated by any service for N days (or never, and created"
                    + " at least N days ago), serving one variant to everyone unchanged for N days, or"
                    + " temporary and past their expiry, or carrying an experiment that has stopped.",
            "Usage is what clients record every minute (docs/flag-debt.md). Exit 0 whether or not any are found."
        })
final class StaleCommand extends ReadCommand {
    @Option(
            names = "--days",
            paramLabel = "N",
            defaultValue = "30",
            description = "How long unused or unchanged counts as stale (default ${DEFAULT-VALUE}).")
    int days;

    @Option(
            names = "--now",
            paramLabel = "TIME",
            converter = Converters.Time.class,
            description = "Judge as of this date or ISO-8601 instant instead of now (what-if, tests).")
    Instant now;

    @Override
    int run(FlagAdmin admin) {
        if (days < 0) {
            throw new CliException(ExitCodes.USAGE, "--days must not be negative, was " + days, null);
        }
        Instant at = now != null ? now : Instant.now();
        Map<String, Map<String, Instant>> usage = admin.usage();
        List<StaleFlags.Finding> findings = StaleFlags.find(admin.list(), usage, at, Duration.ofDays(days));
        if (json) {
            ObjectNode node = Json.object();
            node.put("namespace", connection.namespace);
            Json.putInstant(node, "now", at);
            node.put("days", days);
            ArrayNode array = node.putArray("flags");
            findings.forEach(
                    f -> array.add(toJson(f, usage.getOrDefault(f.flag().key(), Map.of()))));
            Json.print(out(), node);
            return ExitCodes.OK;
        }
        if (findings.isEmpty()) {
            out().println("no stale flags in namespace '" + connection.namespace + "' (" + days + " days)");
            out().flush();
            return ExitCodes.OK;
        }
        Table table = new Table("KEY", "REASONS", "OWNER", "AGE", "UNCHANGED", "LAST EVALUATED", "SERVES");
        for (StaleFlags.Finding f : findings) {
            Flag flag = f.flag();
            table.row(
                    flag.key(),
                    f.reasons().stream().map(StaleFlags.Reason::label).collect(Collectors.joining(",")),
                    flag.owner(),
                    days(flag.createdAt(), at),
                    days(flag.updatedAt(), at),
                    f.lastEvaluated() == null ? "never" : Formats.time(f.lastEvaluated()),
                    f.servedToAll());
        }
        table.print(out());
        return ExitCodes.OK;
    }

    private static String days(Instant since, Instant at) {
        return since == null ? "-" : Duration.between(since, at).toDays() + "d";
    }

    private static ObjectNode toJson(StaleFlags.Finding f, Map<String, Instant> byService) {
        Flag flag = f.flag();
        ObjectNode node = Json.object();
        node.put("key", flag.key());
        node.set(
                "reasons",
                Json.strings(f.reasons().stream().map(StaleFlags.Reason::label).toList()));
        node.put("owner", flag.owner());
        Json.putInstant(node, "createdAt", flag.createdAt());
        Json.putInstant(node, "updatedAt", flag.updatedAt());
        Json.putInstant(node, "expiresAt", flag.expiresAt());
        Json.putInstant(node, "lastEvaluated", f.lastEvaluated());
        ObjectNode services = node.putObject("services");
        byService.forEach((service, at) -> Json.putInstant(services, service, at));
        node.put("servedToAll", f.servedToAll());
        return node;
    }
}
