package io.flagstore.redis;

import java.util.Objects;

/**
 * One namespace found in a Redis by {@link FlagAdmin#namespaces()}.
 *
 * @param name the namespace
 * @param version its namespace version (writes so far), or -1 when the version key does not hold a
 *     number
 * @param flags how many flags its index holds
 * @param segments how many segments its index holds
 */
public record NamespaceSummary(String name, long version, long flags, long segments) {
    public NamespaceSummary {
        Objects.requireNonNull(name, "name");
    }
}
