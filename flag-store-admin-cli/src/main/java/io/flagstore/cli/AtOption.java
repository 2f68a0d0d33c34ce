package io.flagstore.cli;

import java.time.Instant;
import picocli.CommandLine.Option;

/** {@code --at TIME} of the schedule commands that queue one change. */
final class AtOption {
    @Option(
            names = "--at",
            required = true,
            paramLabel = "TIME",
            converter = Converters.At.class,
            description = "When: 2026-12-01T09:00:00Z, or +30m from now.")
    Instant at;
}
