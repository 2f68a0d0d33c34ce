package io.flagstore.core.model;

import static io.flagstore.core.model.FieldPath.field;
import static io.flagstore.core.model.FieldPath.index;
import static io.flagstore.core.model.FlagValidator.checkCount;
import static io.flagstore.core.model.FlagValidator.checkLength;
import static io.flagstore.core.model.Problems.quote;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.core.internal.SemVer;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks the clauses of one rule for {@link FlagValidator}: their count, attribute and values, and
 * that every value is of the kind its operator compares with (a number for {@code lt}, a regular
 * expression that compiles for {@code matches}, a segment key for {@code inSegment}, ...; listed in
 * docs/flag-format.md). Flag rules and segment rules share these checks.
 */
final class ClauseCheck {
    private ClauseCheck() {}

    /**
     * Checks a rule's clauses.
     *
     * @param segmentsAllowed whether {@code inSegment} may be used: not inside a segment
     */
    static void check(List<Clause> clauses, boolean segmentsAllowed, FieldPath path, Problems p) {
        if (clauses.isEmpty()) {
            p.add(path, "a rule needs at least one clause");
            return;
        }
        checkCount(clauses.size(), Limits.CLAUSES_PER_RULE, "clauses", path, p);
        for (int i = 0; i < clauses.size(); i++) {
            checkClause(clauses.get(i), segmentsAllowed, index(path, i), p);
        }
    }

    private static void checkClause(Clause clause, boolean segmentsAllowed, FieldPath path, Problems p) {
        Operator op = clause.op();
        if (op == Operator.IN_SEGMENT && !segmentsAllowed) {
            p.add(field(path, "op"), "inSegment cannot be used inside a segment");
        }
        if (op != Operator.IN_SEGMENT && clause.attribute().isEmpty()) {
            p.add(field(path, "attribute"), "empty attribute name");
        }
        checkLength(clause.attribute(), Limits.NAME_LENGTH, field(path, "attribute"), p);
        FieldPath valuesPath = field(path, "values");
        if (clause.values().isEmpty()) {
            p.add(valuesPath, "a clause needs at least one value");
            return;
        }
        checkCount(clause.values().size(), Limits.VALUES_PER_CLAUSE, "values", valuesPath, p);
        for (int i = 0; i < clause.values().size(); i++) {
            JsonNode value = clause.values().get(i);
            String problem = valueProblem(op, value);
            if (problem == null && value.isTextual() && value.textValue().length() > Limits.VALUE_LENGTH) {
                problem = "longer than " + Limits.VALUE_LENGTH + " characters";
            }
            if (problem != null) {
                p.add(index(valuesPath, i), problem);
            }
        }
    }

    /** Why {@code value} cannot be compared with {@code op}, or {@code null} when it can. */
    private static String valueProblem(Operator op, JsonNode value) {
        String name = op.jsonName();
        switch (op) {
            case IN, NOT_IN -> {
                boolean scalar = value.isTextual()
                        || value.isBoolean()
                        || value.isNumber() && Double.isFinite(value.doubleValue());
                return scalar
                        ? null
                        : name + " compares with strings, numbers or booleans, got " + TreeReader.kind(value);
            }
            case STARTS_WITH, ENDS_WITH, CONTAINS -> {
                return value.isTextual() ? null : name + " compares with strings, got " + TreeReader.kind(value);
            }
            case MATCHES -> {
                if (!value.isTextual()) {
                    return "matches needs regular expressions as strings, got " + TreeReader.kind(value);
                }
                try {
                    Pattern.compile(value.textValue());
                    return null;
                } catch (PatternSyntaxException e) {
                    return "invalid regular expression " + quote(value.textValue()) + ": " + e.getDescription()
                            + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "");
                }
            }
            case SEMVER_EQ, SEMVER_LT, SEMVER_GT -> {
                if (!value.isTextual()) {
                    return name + " compares with semantic versions as strings, got " + TreeReader.kind(value);
                }
                try {
                    SemVer.parse(value.textValue());
                    return null;
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            }
            case LT, LTE, GT, GTE -> {
                return value.isNumber() && Double.isFinite(value.doubleValue())
                        ? null
                        : name + " compares with numbers, got " + TreeReader.kind(value);
            }
            case BEFORE, AFTER -> {
                if (value.isTextual()) {
                    try {
                        // the parser the evaluator compiles these values with
                        OffsetDateTime.parse(value.textValue());
                        return null;
                    } catch (DateTimeParseException e) {
                        // reported below
                    }
                }
                return name + " compares with ISO-8601 instants such as \"2027-01-31T00:00:00Z\", got "
                        + TreeReader.kind(value);
            }
            case IN_SEGMENT -> {
                return value.isTextual() && FlagValidator.KEY.matches(value.textValue())
                        ? null
                        : "inSegment needs segment keys (" + FlagValidator.KEY_SYNTAX + "), got "
                                + TreeReader.kind(value);
            }
            default -> throw new AssertionError(op);
        }
    }
}
