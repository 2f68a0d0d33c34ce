package io.flagstore.cli;

import io.flagstore.redis.ScheduledChange;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flagctl schedule disable KEY --at TIME}. */
@Command(
        name = "disable",
        mixinStandardHelpOptions = true,
        description = "Turn a flag off (the kill switch) at a later time.")
final class ScheduleDisableCommand extends ScheduleWriteCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The flag.")
    String key;

    @Option(
            names = "--at",
            required = true,
            paramLabel = "TIME",
            converter = Converters.At.class,
            description = "When: 2026-12-01T09:00:00Z, or +30m from now.")
    Instant at;

    @Override
    List<ScheduledChange> changes() {
        return List.of(ScheduledChange.disable(key, at));
    }
}
