package io.flagstore.cli;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.model.Experiment;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.redis.FlagAdmin;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code flagctl experiment show KEY}: the experiment's definition and state. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show a flag's experiment.")
final class ExperimentShowCommand extends ReadCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Override
    int run(FlagAdmin admin) {
        Flag flag = admin.get(key).orElseThrow(() -> new FlagNotFoundException(key));
        Experiment e = flag.experiment();
        if (e == null) {
            throw new CliException(
                    ExitCodes.NOT_FOUND,
                    "flag '" + key + "' has no experiment",
                    "start one: flagctl experiment start " + key + " --metric NAME");
        }
        if (json) {
            var node = Json.object();
            node.put("key", key);
            node.put("state", state(flag, Instant.now()));
            node.set("experiment", FlagJson.toTree(flag).get("experiment"));
            Json.print(out(), node);
            return ExitCodes.OK;
        }
        Table table = new Table("FIELD", "VALUE");
        table.row("flag", key);
        table.row("state", state(flag, Instant.now()));
        table.row("runs on", e.rule() == null ? "fallthrough" : "rule " + e.rule());
        table.row(
                "split",
                flag.experimentRollout() == null
                        ? "-"
                        : Formats.serve(io.flagstore.core.model.Serve.rollout(flag.experimentRollout())));
        table.row("control", e.control());
        table.row("metrics", String.join(", ", e.metrics()));
        table.row("hypothesis", e.hypothesis());
        table.row("start", Formats.time(e.startAt()));
        table.row("stop", e.stopAt() == null ? "-" : Formats.time(e.stopAt()));
        table.print(out());
        return ExitCodes.OK;
    }

    /** {@code running}, {@code scheduled}, {@code stopped}, or {@code paused (flag off)}. */
    static String state(Flag flag, Instant now) {
        Experiment e = flag.experiment();
        if (e.isStoppedAt(now)) {
            return "stopped";
        }
        if (!e.isRunningAt(now)) {
            return "scheduled";
        }
        return flag.enabled() ? "running" : "paused (flag off)";
    }
}
