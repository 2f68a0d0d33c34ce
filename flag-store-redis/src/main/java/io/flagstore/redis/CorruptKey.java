package io.flagstore.redis;

import java.util.List;
import java.util.Objects;

/**
 * A stored flag or segment that cannot be read: a key of another Redis type than a hash, or a hash
 * with a field that is not valid (edited by hand, written by another tool). It is one bad key, not a
 * broken namespace: every other flag stays readable and writable, and this one can be overwritten
 * or deleted (docs/operations.md, "Corrupt data").
 *
 * @param kind {@code "flag"} or {@code "segment"}
 * @param key the flag or segment key
 * @param version its version in the namespace index, 0 if it is not indexed
 * @param problems what is wrong, at least one entry
 */
public record CorruptKey(String kind, String key, long version, List<String> problems) {
    public CorruptKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        problems = List.copyOf(problems);
    }

    /** {@return the key as reported in results and the audit stream: segments as {@code segment:<key>}} */
    public String displayKey() {
        return kind.equals("segment") ? "segment:" + key : key;
    }
}
