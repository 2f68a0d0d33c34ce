package io.flagstore.cli;

import io.flagstore.redis.WriteOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every write takes: audit fields, compare-and-set, and waiting for the fleet. */
final class WriteOptionsMixin {
    @Option(
            names = "--reason",
            paramLabel = "TEXT",
            description = "Why (recorded in the audit stream), e.g. \"INC-42\".")
    String reason;

    @Option(
            names = "--actor",
            paramLabel = "NAME",
            description = "Who (recorded in the audit stream; default: the OS user).")
    String actor;

    @Option(
            names = "--expect-version",
            paramLabel = "V",
            description = "Write only if the flag is still at version V (compare-and-set); exit 4 otherwise.")
    Long expectVersion;

    @Option(
            names = "--wait",
            negatable = true,
            description = "Wait until every live service instance has applied the write"
                    + " (default: on for disable, off otherwise).")
    Boolean wait;

    @Option(
            names = "--wait-timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description =
                    "How long --wait waits before naming the instances that did not confirm (default ${DEFAULT-VALUE}).")
    Duration waitTimeout;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    WriteOptions writeOptions() {
        return writeOptions(expectVersion);
    }

    /**
     * Options for a read-modify-write: compare-and-set against {@code --expect-version} if given,
     * else against {@code readVersion}, so a concurrent change is a conflict, never a lost update.
     */
    WriteOptions writeOptionsExpecting(long readVersion) {
        return writeOptions(expectVersion != null ? expectVersion : readVersion);
    }

    private WriteOptions writeOptions(Long expected) {
        return new WriteOptions(actor(actor), reason, expected);
    }

    /** Who a write is recorded as: {@code --actor} when given, else the OS user. */
    static String actor(String given) {
        return given != null && !given.isBlank() ? given : WriteOptions.DEFAULT_ACTOR;
    }

    boolean waitOr(boolean defaultWait) {
        return wait == null ? defaultWait : wait;
    }
}
