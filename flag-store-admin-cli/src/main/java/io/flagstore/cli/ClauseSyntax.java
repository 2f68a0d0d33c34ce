package io.flagstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Operator;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The command-line form of a clause: {@code ATTRIBUTE [not] OPERATOR VALUE[,VALUE...]}, with the
 * operators' JSON names ({@code country in US,DE}, {@code email not endsWith @test.com}, {@code
 * age gte 18}), and {@code inSegment SEGMENT[,SEGMENT...]} without an attribute. A value is text,
 * except for the numeric operators (numbers) and for {@code in}/{@code notIn}, where a bare number,
 * {@code true} or {@code false} is that JSON value; double quotes make any value text and may hold
 * commas and spaces ({@code "a, b"}; {@code \"} and {@code \\} inside). {@link #print} writes what
 * {@link #parse} reads back.
 */
final class ClauseSyntax {
    private static final Set<Operator> NUMERIC = EnumSet.of(Operator.LT, Operator.LTE, Operator.GT, Operator.GTE);
    private static final Set<Operator> TYPED = EnumSet.of(Operator.IN, Operator.NOT_IN);
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
    private static final Pattern BARE = Pattern.compile("[^\\s\",\\\\]+");
    private static final String OPERATORS =
            EnumSet.allOf(Operator.class).stream().map(Operator::jsonName).collect(Collectors.joining(", "));

    private ClauseSyntax() {}

    /** @throws IllegalArgumentException naming what is wrong in {@code text} */
    static Clause parse(String text) {
        String rest = text.strip();
        String first = word(rest, text, "an attribute");
        rest = rest.substring(first.length()).strip();
        String segmentOp = Operator.IN_SEGMENT.jsonName();
        if (first.equals(segmentOp)) {
            return new Clause("key", Operator.IN_SEGMENT, values(rest, Operator.IN_SEGMENT, text), false);
        }
        if (first.equals("not") && rest.startsWith(segmentOp + " ")) {
            rest = rest.substring(segmentOp.length()).strip();
            return new Clause("key", Operator.IN_SEGMENT, values(rest, Operator.IN_SEGMENT, text), true);
        }
        String attribute = first;
        boolean negate = false;
        String opName = word(rest, text, "an operator (" + OPERATORS + ")");
        if (opName.equals("not")) {
            negate = true;
            rest = rest.substring(3).strip();
            opName = word(rest, text, "an operator after 'not' (" + OPERATORS + ")");
        }
        Operator op;
        try {
            op = Operator.fromJsonName(opName);
        } catch (IllegalArgumentException e) {
            throw problem(text, "'" + opName + "' is not an operator (" + OPERATORS + ")");
        }
        rest = rest.substring(opName.length()).strip();
        return new Clause(attribute, op, values(rest, op, text), negate);
    }

    /** Parses clauses given as options; one that does not parse is a usage error naming it. */
    static List<Clause> parseOptions(List<String> texts, picocli.CommandLine commandLine) {
        try {
            return texts.stream().map(ClauseSyntax::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    /** The form {@link #parse} reads. */
    static String print(Clause clause) {
        String values = clause.values().stream().map(v -> value(v, clause.op())).collect(Collectors.joining(","));
        if (clause.op() == Operator.IN_SEGMENT) {
            return (clause.negate() ? "not " : "") + "inSegment " + values;
        }
        return clause.attribute() + (clause.negate() ? " not " : " ")
                + clause.op().jsonName() + " " + values;
    }

    private static String value(JsonNode v, Operator op) {
        if (!v.isTextual()) {
            return v.toString();
        }
        String s = v.asText();
        boolean readsAsText = BARE.matcher(s).matches()
                && !(TYPED.contains(op) && (NUMBER.matcher(s).matches() || s.equals("true") || s.equals("false")));
        return readsAsText ? s : '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String word(String rest, String text, String what) {
        int end = 0;
        while (end < rest.length() && !Character.isWhitespace(rest.charAt(end))) {
            end++;
        }
        if (end == 0) {
            throw problem(text, "missing " + what);
        }
        return rest.substring(0, end);
    }

    private static List<JsonNode> values(String rest, Operator op, String text) {
        List<JsonNode> values = new ArrayList<>();
        int i = 0;
        while (true) {
            while (i < rest.length() && rest.charAt(i) == ' ') {
                i++;
            }
            if (i >= rest.length()) {
                throw problem(
                        text,
                        values.isEmpty() ? "missing the values (VALUE[,VALUE...])" : "a value is missing after ','");
            }
            StringBuilder value = new StringBuilder();
            boolean quoted = rest.charAt(i) == '"';
            if (quoted) {
                i++;
                while (i < rest.length() && rest.charAt(i) != '"') {
                    char c = rest.charAt(i++);
                    if (c == '\\' && i < rest.length()) {
                        c = rest.charAt(i++);
                    }
                    value.append(c);
                }
                if (i >= rest.length()) {
                    throw problem(text, "a quoted value is not closed");
                }
                i++;
            } else {
                while (i < rest.length() && rest.charAt(i) != ',' && rest.charAt(i) != ' ') {
                    value.append(rest.charAt(i++));
                }
            }
            values.add(node(value.toString(), quoted, op, text));
            while (i < rest.length() && rest.charAt(i) == ' ') {
                i++;
            }
            if (i >= rest.length()) {
                return values;
            }
            if (rest.charAt(i) != ',') {
                throw problem(text, "values are separated by ',' (quote a value that holds spaces)");
            }
            i++;
        }
    }

    private static JsonNode node(String value, boolean quoted, Operator op, String text) {
        boolean number = !quoted && NUMBER.matcher(value).matches();
        if (NUMERIC.contains(op)) {
            if (!number) {
                throw problem(text, op.jsonName() + " compares numbers: '" + value + "' is not one");
            }
            return Json.read(value);
        }
        if (TYPED.contains(op) && !quoted) {
            if (number) {
                return Json.read(value);
            }
            if (value.equals("true") || value.equals("false")) {
                return BooleanNode.valueOf(value.equals("true"));
            }
        }
        return TextNode.valueOf(value);
    }

    private static IllegalArgumentException problem(String text, String what) {
        return new IllegalArgumentException("clause '" + text + "': " + what);
    }
}
