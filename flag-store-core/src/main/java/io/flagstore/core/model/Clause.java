package io.flagstore.core.model;

import com.fasterxml.jackson.databind.JsonNode;
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
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(op, "op");
        values = List.copyOf(values);
    }
}
