package io.flagstore.cli;

import io.flagstore.redis.ScheduledChange;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flagctl schedule rollout KEY on=10 off=90 --at TIME}. */
@Command(
        name = "rollout",
        mixinStandardHelpOptions = true,
        description = "Set a flag's rollout weights (as 'flagctl rollout') at a later time.")
final class ScheduleRolloutCommand extends ScheduleWriteCommand {
    @Mixin
    RolloutArguments rollout;

    @Mixin
    AtOption when;

    @Override
    List<ScheduledChange> changes() {
        return List.of(ScheduledChange.rollout(rollout.key, rollout.weights, when.at));
    }
}
