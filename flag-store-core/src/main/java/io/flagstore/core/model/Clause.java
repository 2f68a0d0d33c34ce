package io.flagstore.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One condition of a rule: {@code attribute op values}, matching when any value matches, inverted
 * when {@code negate} is set. For {@link Operator#IN_SEGMENT} the values are segment keys and the
 * attribute is ignored (by convention {@code "key"}).
 *
 * @param attribute the context attribute, {@code "key"} for the targeting key
 * @param op the operator
 * @param values the values to compare with, as JSON (strings, numbers, booleans)
 * @param negate whether the result is inverted
 */
public record Clause(String attribute, Operator op, List<JsonNode> values, boolean negate) {
    public Clause {
        attribute = Canonical.of(Objects.requireNonNull(attribute, "attribute"));
        Objects.requireNonNull(op, "op");
        values = List.copyOf(values.stream()
                .map(v -> v != null && v.isTextual() ? TextNode.valueOf(Canonical.of(v.textValue())) : v)
                .toList());
    }

    /** {@return a clause: the attribute (or any element of a list attribute) equals one of the values} */
    public static Clause in(String attribute, String... values) {
        return strings(attribute, Operator.IN, values);
    }

    /** {@return a clause: the numeric attribute equals one of the values} */
    public static Clause in(String attribute, long... values) {
        return new Clause(
                attribute,
                Operator.IN,
                Arrays.stream(values)
                        .mapToObj(v -> (JsonNode) LongNode.valueOf(v))
                        .toList(),
                false);
    }

    /** {@return a clause: the attribute equals none of the values} */
    public static Clause notIn(String attribute, String... values) {
        return strings(attribute, Operator.NOT_IN, values);
    }

    /** {@return a clause: the string attribute starts with one of the prefixes} */
    public static Clause startsWith(String attribute, String... prefixes) {
        return strings(attribute, Operator.STARTS_WITH, prefixes);
    }

    /** {@return a clause: the string attribute ends with one of the suffixes} */
    public static Clause endsWith(String attribute, String... suffixes) {
        return strings(attribute, Operator.ENDS_WITH, suffixes);
    }

    /** {@return a clause: the string attribute contains one of the values} */
    public static Clause contains(String attribute, String... values) {
        return strings(attribute, Operator.CONTAINS, values);
    }

    /** {@return a clause: the string attribute matches one of the regular expressions (find)} */
    public static Clause matches(String attribute, String... regexes) {
        return strings(attribute, Operator.MATCHES, regexes);
    }

    /**
     * {@return a clause comparing a semantic version attribute with versions such as {@code "2.4.0"}}
     *
     * @param op {@link Operator#SEMVER_EQ}, {@link Operator#SEMVER_LT} or {@link Operator#SEMVER_GT}
     */
    public static Clause semver(String attribute, Operator op, String... versions) {
        return strings(attribute, op, versions);
    }

    /**
     * {@return a clause comparing a numeric attribute with a number}
     *
     * @param op {@link Operator#LT}, {@link Operator#LTE}, {@link Operator#GT} or {@link Operator#GTE}
     */
    public static Clause compare(String attribute, Operator op, double value) {
        return new Clause(attribute, op, List.of(DoubleNode.valueOf(value)), false);
    }

    /** {@return a clause: the instant attribute is before the given instant} */
    public static Clause before(String attribute, Instant instant) {
        return strings(attribute, Operator.BEFORE, instant.toString());
    }

    /** {@return a clause: the instant attribute is after the given instant} */
    public static Clause after(String attribute, Instant instant) {
        return strings(attribute, Operator.AFTER, instant.toString());
    }

    /** {@return a clause: the context is in one of the named segments} */
    public static Clause inSegment(String... segmentKeys) {
        return strings("key", Operator.IN_SEGMENT, segmentKeys);
    }

    /** {@return this clause with its result inverted} */
    public Clause negated() {
        return new Clause(attribute, op, values, !negate);
    }

    private static Clause strings(String attribute, Operator op, String... values) {
        return new Clause(
                attribute,
                op,
                Arrays.stream(values).map(v -> (JsonNode) TextNode.valueOf(v)).toList(),
                false);
    }
}
