package io.flagstore.cli;

import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.FlagScheduler;
import io.flagstore.redis.ScheduleEntry;
import io.flagstore.redis.WriteOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flagctl schedule cancel ID}: a pending change will never be applied. */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = "Cancel a pending scheduled change (exit 3 if unknown, 4 if it already ran).")
final class ScheduleCancelCommand extends ReadCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The id 'schedule list' shows.")
    String id;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded in the audit stream).")
    String reason;

    @Option(names = "--actor", paramLabel = "NAME", description = "Who (default: the OS user).")
    String actor;

    @Override
    int run(FlagAdmin admin) {
        FlagScheduler scheduler = new FlagScheduler(admin);
        if (scheduler.get(id).isEmpty()) {
            throw new CliException(
                    ExitCodes.NOT_FOUND, "no scheduled change '" + id + "'", "see 'flagctl schedule list'");
        }
        String who = WriteOptionsMixin.actor(actor);
        ScheduleEntry cancelled;
        try {
            cancelled = scheduler.cancel(id, new WriteOptions(who, reason, null));
        } catch (IllegalStateException e) {
            throw new CliException(ExitCodes.CONFLICT, e.getMessage(), "see 'flagctl history' for what it did");
        }
        if (json) {
            Json.print(out(), ScheduleListCommand.json(cancelled));
        } else {
            out().println("cancelled " + id + ": " + ScheduleListCommand.describe(cancelled.change()) + " at "
                    + cancelled.change().due());
            out().flush();
        }
        return ExitCodes.OK;
    }
}
