package io.flagstore.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code flagctl schedule ...}: changes applied later by {@code flagctl scheduler} (docs/scheduling.md). */
@Command(
        name = "schedule",
        mixinStandardHelpOptions = true,
        description = {
            "Queue a change for a later time; a running 'flagctl scheduler' applies it exactly once.",
            "Times: an ISO-8601 instant (2026-12-01T09:00:00Z) or relative to now (+90s, +30m, +2h, +1d)."
        },
        subcommands = {
            ScheduleEnableCommand.class,
            ScheduleDisableCommand.class,
            ScheduleRolloutCommand.class,
            ScheduleRampCommand.class,
            ScheduleBatchCommand.class,
            ScheduleListCommand.class,
            ScheduleCancelCommand.class
        })
final class ScheduleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: enable, disable, rollout, ramp, batch, list or cancel");
    }
}
