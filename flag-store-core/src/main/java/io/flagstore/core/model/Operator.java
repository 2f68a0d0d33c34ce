package io.flagstore.core.model;

/**
 * A clause operator. The JSON form is the camel-case {@link #jsonName()} (for example {@code "notIn"}).
 */
public enum Operator {
    /** The attribute (or any element of a list attribute) equals one of the values. */
    IN("in"),
    /** The attribute equals none of the values. */
    NOT_IN("notIn"),
    /** The string attribute starts with one of the values. */
    STARTS_WITH("startsWith"),
    /** The string attribute ends with one of the values. */
    ENDS_WITH("endsWith"),
    /** The string attribute contains one of the values. */
    CONTAINS("contains"),
    /** The string attribute matches one of the regular expressions (find, not full match). */
    MATCHES("matches"),
    /** The attribute is a semantic version equal to one of the values. */
    SEMVER_EQ("semverEq"),
    /** The attribute is a semantic version lower than one of the values. */
    SEMVER_LT("semverLt"),
    /** The attribute is a semantic version greater than one of the values. */
    SEMVER_GT("semverGt"),
    /** The numeric attribute is lower than one of the values. */
    LT("lt"),
    /** The numeric attribute is lower than or equal to one of the values. */
    LTE("lte"),
    /** The numeric attribute is greater than one of the values. */
    GT("gt"),
    /** The numeric attribute is greater than or equal to one of the values. */
    GTE("gte"),
    /** The instant attribute (ISO-8601 string or epoch millis) is before one of the values. */
    BEFORE("before"),
    /** The instant attribute is after one of the values. */
    AFTER("after"),
    /** The context is in one of the named segments; the clause's attribute is ignored. */
    IN_SEGMENT("inSegment");

    private final String jsonName;

    Operator(String jsonName) {
        this.jsonName = jsonName;
    }

    /** Returns the name used in the JSON form, such as {@code "startsWith"}. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * Returns the operator with the given JSON name.
     *
     * @throws IllegalArgumentException if no operator has that name
     */
    public static Operator fromJsonName(String name) {
        for (Operator op : values()) {
            if (op.jsonName.equals(name)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown operator '" + name + "'");
    }
}
