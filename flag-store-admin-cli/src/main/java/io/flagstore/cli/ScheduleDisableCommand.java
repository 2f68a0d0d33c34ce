package io.flagstore.cli;

import io.flagstore.redis.ScheduledChange;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code flagctl schedule disable KEY --at TIME}. */
@Command(
        name = "disable",
        mixinStandardHelpOptions = true,
        description = "Turn a flag off (the kill switch) at a later time.")
final class ScheduleDisableCommand extends ScheduleWriteCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Mixin
    AtOption when;

    @Override
    List<ScheduledChange> changes() {
        return List.of(ScheduledChange.disable(key, when.at));
    }
}
