package io.flagstore.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A named, reusable set of contexts (for example {@code internal-staff}) referenced from clauses
 * with {@link Operator#IN_SEGMENT}. A context is in the segment when its key is included, or when
 * it is not excluded and any rule matches (a rule's clauses must all match; a rule's serve is
 * ignored).
 *
 * @param key the segment key, same syntax as flag keys
 * @param description free text, or {@code null}
 * @param included context keys always in the segment
 * @param excluded context keys never in the segment (unless included)
 * @param rules clause groups; matching any one puts the context in the segment
 * @param updatedAt the time of the last write, or {@code null}
 * @param version the namespace version of the last write (0 before the first write)
 */
public record Segment(
        String key,
        String description,
        List<String> included,
        List<String> excluded,
        List<List<Clause>> rules,
        Instant updatedAt,
        long version) {
    public Segment {
        Objects.requireNonNull(key, "key");
        included = List.copyOf(included);
        excluded = List.copyOf(excluded);
        rules = rules.stream().map(List::copyOf).toList();
    }

    /** Returns a copy with the given version and update time. */
    public Segment withVersion(long newVersion, Instant newUpdatedAt) {
        return new Segment(key, description, included, excluded, rules, newUpdatedAt, newVersion);
    }
}
