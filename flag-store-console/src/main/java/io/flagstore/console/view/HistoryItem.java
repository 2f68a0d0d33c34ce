package io.flagstore.console.view;

import java.util.List;

/**
 * One audit entry with the fields it changed.
 *
 * @param version the namespace version it created
 * @param op the operation
 * @param keys the keys written
 * @param actor who wrote it (the authenticated identity)
 * @param reason why, or empty
 * @param when when, UTC
 * @param diff per written flag, the changed fields
 */
public record HistoryItem(
        long version, String op, List<String> keys, String actor, String reason, String when, List<FlagDiff> diff) {
    public HistoryItem {
        keys = List.copyOf(keys);
        diff = List.copyOf(diff);
    }

    /**
     * The changed fields of one flag.
     *
     * @param key the flag
     * @param lines the changed fields
     */
    public record FlagDiff(String key, List<DiffLine> lines) {
        public FlagDiff {
            lines = List.copyOf(lines);
        }
    }
}
