package io.flagstore.redis;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link FlagAdmin#dropNamespace(WriteOptions)} did.
 *
 * @param deletion the audited write that deleted every flag and segment, or empty when the
 *     namespace held none (a re-run, or a namespace of schedules and counters only)
 * @param keysRemoved how many other keys of the namespace were removed afterwards
 */
public record NamespaceDropResult(Optional<WriteResult> deletion, long keysRemoved) {
    public NamespaceDropResult {
        Objects.requireNonNull(deletion, "deletion");
    }
}
