package io.flagstore.cli;

import io.flagstore.core.InvalidFlagException;
import io.flagstore.redis.CorruptKey;
import java.util.List;
import java.util.stream.Collectors;

/** How flagctl reports keys that cannot be read, and how to repair them (docs/operations.md, "Corrupt data"). */
final class Corruption {
    /** The repair, with {@code ROOT} standing for the command name. */
    static final String HINT = "overwrite each from a good definition ('ROOT apply -f FILE', FILE as written by"
            + " export) or delete it ('ROOT delete KEY --yes'); docs/operations.md, \"Corrupt data\"";

    private Corruption() {}

    /** The error for a flag that cannot be read. */
    static CliException of(String root, String key, InvalidFlagException e) {
        return new CliException(
                ExitCodes.CORRUPT,
                "flag '" + key + "' is corrupt: " + String.join("; ", e.problems()),
                HINT.replace("ROOT", root).replace("KEY", key));
    }

    /** {@code key (problem; problem), ...}. */
    static String describe(List<CorruptKey> corrupt) {
        return corrupt.stream()
                .map(c -> c.displayKey() + " (" + String.join("; ", c.problems()) + ")")
                .collect(Collectors.joining(", "));
    }
}
