package io.flagstore.core.model;

/**
 * Where a field is in a flag, segment or document ({@code rules[2].clauses[0].values}), as the chain
 * of steps to it: the validator and the reader pass a path to every field they check, and only a
 * problem needs it as text, so the text is built when a problem is reported, not for every field
 * of every definition read.
 *
 * <p>Immutable.
 */
final class FieldPath {
    /** The definition or document itself; its text is empty. */
    static final FieldPath ROOT = new FieldPath(null, null, -1, false);

    private static final NameSyntax SIMPLE_NAME = new NameSyntax("A-Za-z0-9_-", "A-Za-z0-9_-", Integer.MAX_VALUE);

    private final FieldPath parent;
    private final String name; // a field or member name; null for an index
    private final int index;
    private final boolean member; // a map member: quoted (base["a.b"]) when its name is not simple

    private FieldPath(FieldPath parent, String name, int index, boolean member) {
        this.parent = parent;
        this.name = name;
        this.index = index;
        this.member = member;
    }

    /** {@code base.name}, or {@code name} at the root. */
    static FieldPath field(FieldPath base, String name) {
        return new FieldPath(base, name, -1, false);
    }

    /** {@code base[i]}. */
    static FieldPath index(FieldPath base, int i) {
        return new FieldPath(base, null, i, false);
    }

    /** A map member such as a variant name: {@code base.on}, or {@code base["a.b"]} for other names. */
    static FieldPath member(FieldPath base, String name) {
        return new FieldPath(base, name, -1, true);
    }

    @Override
    public String toString() {
        if (this == ROOT) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        appendTo(text);
        return text.toString();
    }

    private void appendTo(StringBuilder text) {
        if (parent != ROOT) {
            parent.appendTo(text);
        }
        if (name == null) {
            text.append('[').append(index).append(']');
        } else if (member && !SIMPLE_NAME.matches(name)) {
            text.append("[\"")
                    .append(name.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\"]");
        } else {
            text.append(parent == ROOT ? "" : ".").append(name);
        }
    }
}
