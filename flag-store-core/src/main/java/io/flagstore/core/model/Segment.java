package io.flagstore.core.model;

import java.time.Instant;
import java.util.ArrayList;
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

    /** {@return a segment holding exactly the given context keys} */
    public static Segment of(String key, String... includedKeys) {
        return new Segment(key, null, List.of(includedKeys), List.of(), List.of(), null, 0);
    }

    /** {@return this segment with the given description} */
    public Segment withDescription(String newDescription) {
        return new Segment(key, newDescription, included, excluded, rules, updatedAt, version);
    }

    /** {@return this segment with these context keys never in it (unless included)} */
    public Segment excluding(String... contextKeys) {
        return new Segment(key, description, included, List.of(contextKeys), rules, updatedAt, version);
    }

    /** {@return this segment with one more rule: contexts matching all the clauses are in it} */
    public Segment withRule(Clause... clauses) {
        List<List<Clause>> more = new ArrayList<>(rules);
        more.add(List.of(clauses));
        return new Segment(key, description, included, excluded, more, updatedAt, version);
    }
}
