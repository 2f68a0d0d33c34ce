package io.flagstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.FlagScheduler;
import io.flagstore.redis.ScheduledChange;
import io.flagstore.redis.WriteOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What the {@code schedule} commands that queue changes share: who, why, and how to print the ids. */
abstract class ScheduleWriteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(
            names = "--reason",
            paramLabel = "TEXT",
            description = "Why (recorded in the audit stream now, and in the applied write's reason).")
    String reason;

    @Option(
            names = "--actor",
            paramLabel = "NAME",
            description = "Who (recorded in the audit; the applied write carries it; default: the OS user).")
    String actor;

    @Option(names = "--json", description = "Print the scheduled ids as JSON.")
    boolean json;

    /** The changes to queue, all or none. */
    abstract List<ScheduledChange> changes();

    @Override
    public Integer call() {
        List<ScheduledChange> changes = changes();
        String who = WriteOptionsMixin.actor(actor);
        try (FlagAdmin admin = connection.connect()) {
            List<String> ids = new FlagScheduler(admin).schedule(changes, new WriteOptions(who, reason, null));
            if (json) {
                ObjectNode node = Json.object();
                ArrayNode scheduled = node.putArray("scheduled");
                for (int i = 0; i < ids.size(); i++) {
                    scheduled.add(ScheduleListCommand.json(ids.get(i), changes.get(i)));
                }
                Json.print(spec.commandLine().getOut(), node);
            } else {
                for (int i = 0; i < ids.size(); i++) {
                    ScheduledChange c = changes.get(i);
                    spec.commandLine()
                            .getOut()
                            .println("scheduled " + ids.get(i) + ": " + ScheduleListCommand.describe(c) + " at "
                                    + c.due());
                }
                spec.commandLine().getOut().flush();
            }
        }
        return ExitCodes.OK;
    }
}
