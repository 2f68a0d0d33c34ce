package io.flagstore.cli;

import io.flagstore.redis.ScheduledChange;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code flagctl schedule enable KEY --at TIME}. */
@Command(name = "enable", mixinStandardHelpOptions = true, description = "Turn a flag on at a later time.")
final class ScheduleEnableCommand extends ScheduleWriteCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Mixin
    AtOption when;

    @Override
    List<ScheduledChange> changes() {
        return List.of(ScheduledChange.enable(key, when.at));
    }
}
