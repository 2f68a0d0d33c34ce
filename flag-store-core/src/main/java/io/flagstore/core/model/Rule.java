package io.flagstore.core.model;

import java.util.List;
import java.util.Objects;

/**
 * An ordered targeting rule: when all clauses match, serve {@code serve}.
 *
 * @param id a stable id unique within the flag (reported in evaluation details)
 * @param description free text, or {@code null}
 * @param clauses the conditions, all of which must match
 * @param serve what the rule serves
 */
public record Rule(String id, String description, List<Clause> clauses, Serve serve) {
    public Rule {
        id = Canonical.of(Objects.requireNonNull(id, "id"));
        clauses = List.copyOf(clauses);
        Objects.requireNonNull(serve, "serve");
    }

    /** {@return a rule serving {@code serve} when all clauses match, with no description} */
    public static Rule of(String id, Serve serve, Clause... clauses) {
        return new Rule(id, null, List.of(clauses), serve);
    }

    /** {@return this rule with the given description} */
    public Rule withDescription(String newDescription) {
        return new Rule(id, newDescription, clauses, serve);
    }
}
