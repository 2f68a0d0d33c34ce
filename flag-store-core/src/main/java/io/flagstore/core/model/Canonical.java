package io.flagstore.core.model;

/**
 * The one copy of a name that recurs across flags (variant names, attributes, owners, tags, rule
 * ids, actors): every client holds every flag, decoded afresh from its source, so without this each
 * flag carries its own copies of {@code "on"}, {@code "off"} and its team's name. The JVM's string
 * table holds the copies and drops those no flag uses any more.
 */
final class Canonical {
    private Canonical() {}

    /** The canonical copy of {@code name}, or {@code null}. */
    static String of(String name) {
        return name == null ? null : name.intern();
    }
}
