package io.flagstore.cli;

import io.flagstore.redis.ScheduledChange;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flagctl schedule enable KEY --at TIME}. */
@Command(name = "enable", mixinStandardHelpOptions = true, description = "Turn a flag on at a later time.")
final class ScheduleEnableCommand extends ScheduleWriteCommand {
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
        return List.of(ScheduledChange.enable(key, at));
    }
}
