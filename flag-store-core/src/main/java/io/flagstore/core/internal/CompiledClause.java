package io.flagstore.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Operator;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A clause with its values parsed once: sets for {@code in}, compiled patterns, parsed semvers and
 * instants, resolved segments.
 *
 * <p>Implementation notes: one final class switching on the operator keeps the call site
 * monomorphic (a class per operator would make {@code matches} megamorphic in flags mixing
 * operators). Comparisons return one of three outcomes so that a value of the wrong type never
 * matches, whether or not the clause is negated: {@code country notIn [US]} does not match a context
 * whose country is a number, nor one without a country.
 */
final class CompiledClause {
    private static final int MATCH = 1;
    private static final int NO_MATCH = 0;
    private static final int NOT_COMPARABLE = -1;
    private static final Double ZERO = 0.0;

    // Operator families, switched on as an int field: a switch on the enum loads the constant's
    // ordinal and then a synthetic lookup table first, two dependent loads per clause evaluated.
    private static final int IN = 0;
    private static final int TEXT = 1;
    private static final int REGEX = 2;
    private static final int SEMVER = 3;
    private static final int NUMBER = 4;
    private static final int INSTANT = 5;
    private static final int SEGMENT = 6;

    private final String attribute;
    private final Operator op;
    private final int family;
    /** Inverts a comparable outcome: the clause's negate flag, flipped for {@code notIn}. */
    private final boolean invert;

    private final String[] strings;
    private final int stringMask;
    private final Set<Double> numbers;
    private final boolean matchesTrue;
    private final boolean matchesFalse;
    private final String[] texts;
    private final Pattern[] patterns;
    private final SemVer[] semvers;
    private final double[] bounds;
    private final Instant[] instants;
    private final CompiledSegment[] segments;

    /**
     * Compiles a clause; {@code segments} resolves segment keys (an unknown key matches nobody).
     *
     * @throws MalformedException if a value cannot be used with the operator, or a segment is broken
     */
    CompiledClause(Clause clause, Map<String, CompiledSegment> segmentsByKey) {
        // Interned so that the context's lookup usually succeeds on identity: attribute names in
        // application code are literals, which are interned too.
        this.attribute = clause.attribute().intern();
        this.op = clause.op();
        this.family = switch (op) {
            case IN, NOT_IN -> IN;
            case STARTS_WITH, ENDS_WITH, CONTAINS -> TEXT;
            case MATCHES -> REGEX;
            case SEMVER_EQ, SEMVER_LT, SEMVER_GT -> SEMVER;
            case LT, LTE, GT, GTE -> NUMBER;
            case BEFORE, AFTER -> INSTANT;
            case IN_SEGMENT -> SEGMENT;
        };
        this.invert = clause.negate() != (op == Operator.NOT_IN);
        List<JsonNode> values = clause.values();
        Set<String> stringSet = null;
        Set<Double> numberSet = null;
        boolean t = false;
        boolean f = false;
        String[] textArray = null;
        Pattern[] patternArray = null;
        SemVer[] semverArray = null;
        double[] boundArray = null;
        Instant[] instantArray = null;
        CompiledSegment[] segmentArray = null;
        switch (family) {
            case IN -> {
                stringSet = new HashSet<>();
                numberSet = new HashSet<>();
                for (JsonNode v : values) {
                    if (v.isTextual()) {
                        stringSet.add(v.textValue().intern()); // identity hits for literal values
                    } else if (v.isNumber()) {
                        numberSet.add(Values.canonical(v.doubleValue()));
                    } else if (v.isBoolean()) {
                        t |= v.booleanValue();
                        f |= !v.booleanValue();
                    } else {
                        throw malformed(v, "a string, number or boolean");
                    }
                }
            }
            case TEXT -> textArray = texts(values);
            case REGEX -> patternArray = parseTexts(values, Pattern::compile, Pattern[]::new, "regex");
            case SEMVER -> semverArray = parseTexts(values, SemVer::parse, SemVer[]::new, "semantic version");
            case NUMBER -> {
                boundArray = new double[values.size()];
                for (int i = 0; i < boundArray.length; i++) {
                    JsonNode v = values.get(i);
                    if (!v.isNumber()) {
                        throw malformed(v, "a number");
                    }
                    boundArray[i] = v.doubleValue();
                }
            }
            case INSTANT -> {
                instantArray = new Instant[values.size()];
                for (int i = 0; i < instantArray.length; i++) {
                    JsonNode v = values.get(i);
                    // the validator's rule: clause values are ISO-8601 text (the context's attribute
                    // may also be epoch milliseconds, compared in compareInstant)
                    Instant instant = v.isTextual() ? Values.parseInstant(v.textValue()) : null;
                    if (instant == null) {
                        throw malformed(v, "an ISO-8601 instant");
                    }
                    instantArray[i] = instant;
                }
            }
            case SEGMENT -> {
                String[] keys = texts(values);
                segmentArray = new CompiledSegment[keys.length];
                for (int i = 0; i < keys.length; i++) {
                    CompiledSegment segment = segmentsByKey.get(keys[i]);
                    if (segment != null && segment.problem() != null) {
                        throw new MalformedException("segment '" + keys[i] + "' is malformed: " + segment.problem());
                    }
                    segmentArray[i] = segment;
                }
            }
        }
        this.strings = stringSet == null ? null : StringSet.table(stringSet);
        this.stringMask = strings == null ? 0 : strings.length - 1;
        // an immutable copy: a clause of strings only shares the empty set instead of keeping a HashSet
        this.numbers = numberSet == null ? null : Set.copyOf(numberSet);
        this.matchesTrue = t;
        this.matchesFalse = f;
        this.texts = textArray;
        this.patterns = patternArray;
        this.semvers = semverArray;
        this.bounds = boundArray;
        this.instants = instantArray;
        this.segments = segmentArray;
    }

    private String[] texts(List<JsonNode> values) {
        String[] result = new String[values.size()];
        for (int i = 0; i < result.length; i++) {
            JsonNode v = values.get(i);
            if (!v.isTextual()) {
                throw malformed(v, "a string");
            }
            result[i] = v.textValue();
        }
        return result;
    }

    /** Parses each (string) value, naming the value and the problem when one does not parse. */
    private <T> T[] parseTexts(
            List<JsonNode> values, Function<String, T> parser, IntFunction<T[]> newArray, String what) {
        String[] texts = texts(values);
        T[] parsed = newArray.apply(texts.length);
        for (int i = 0; i < texts.length; i++) {
            try {
                parsed[i] = parser.apply(texts[i]);
            } catch (IllegalArgumentException e) { // PatternSyntaxException is one too
                String why = e instanceof PatternSyntaxException syntax ? syntax.getDescription() : e.getMessage();
                throw new MalformedException(
                        "clause on '" + attribute + "': invalid " + what + " '" + texts[i] + "': " + why);
            }
        }
        return parsed;
    }

    private MalformedException malformed(JsonNode value, String expected) {
        return new MalformedException(
                "clause on '" + attribute + "' (" + op.jsonName() + "): value " + value + " is not " + expected);
    }

    /** Whether the context satisfies this clause; never throws for any attribute value. */
    boolean matches(EvaluationContext ctx) {
        if (family == SEGMENT) {
            return inSegment(ctx) != invert;
        }
        Object value = ctx.attribute(attribute);
        if (value == null) {
            return false;
        }
        // Strings first: the common case, and an exact class check is cheaper than an interface one.
        int outcome = value instanceof String || !(value instanceof List<?> list) ? compare(value) : compareAny(list);
        return outcome != NOT_COMPARABLE && (outcome == MATCH) != invert;
    }

    private boolean inSegment(EvaluationContext ctx) {
        for (CompiledSegment segment : segments) {
            if (segment != null && segment.contains(ctx)) {
                return true;
            }
        }
        return false;
    }

    /** A list attribute matches when any element does; it is comparable when any element is (or it is empty). */
    private int compareAny(List<?> list) {
        int size = list.size();
        int outcome = size == 0 ? NO_MATCH : NOT_COMPARABLE;
        for (int i = 0; i < size; i++) {
            int one = compare(list.get(i));
            if (one == MATCH) {
                return MATCH;
            }
            if (one == NO_MATCH) {
                outcome = NO_MATCH;
            }
        }
        return outcome;
    }

    /**
     * Compares one scalar attribute value (String, Double, Boolean or Instant) with the values. Kept
     * small, delegating per operator family, so the JIT inlines the path a flag actually takes.
     */
    private int compare(Object value) {
        return switch (family) {
            case IN -> compareIn(value);
            case TEXT -> value instanceof String s ? compareText(s) : NOT_COMPARABLE;
            case REGEX -> value instanceof String s ? compareRegex(s) : NOT_COMPARABLE;
            case SEMVER -> compareSemVer(value);
            case NUMBER -> value instanceof Double d ? compareNumber(d) : NOT_COMPARABLE;
            case INSTANT -> compareInstant(value);
            default -> NOT_COMPARABLE;
        };
    }

    private int compareIn(Object value) {
        if (value instanceof String s) {
            return outcome(StringSet.contains(strings, stringMask, s));
        }
        if (value instanceof Double d) {
            return outcome(numbers.contains(d.doubleValue() == 0.0 ? ZERO : d));
        }
        if (value instanceof Boolean b) {
            return outcome(b ? matchesTrue : matchesFalse);
        }
        return NOT_COMPARABLE;
    }

    private int compareText(String s) {
        for (String text : texts) {
            boolean hit = op == Operator.STARTS_WITH
                    ? s.startsWith(text)
                    : op == Operator.ENDS_WITH ? s.endsWith(text) : s.contains(text);
            if (hit) {
                return MATCH;
            }
        }
        return NO_MATCH;
    }

    private int compareRegex(String s) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(s).find()) {
                return MATCH;
            }
        }
        return NO_MATCH;
    }

    private int compareSemVer(Object value) {
        SemVer version = value instanceof String s ? SemVer.tryParse(s) : null;
        if (version == null) {
            return NOT_COMPARABLE;
        }
        for (SemVer bound : semvers) {
            int c = version.compareTo(bound);
            if (op == Operator.SEMVER_EQ ? c == 0 : op == Operator.SEMVER_LT ? c < 0 : c > 0) {
                return MATCH;
            }
        }
        return NO_MATCH;
    }

    private int compareNumber(double d) {
        for (double bound : bounds) {
            boolean hit =
                    switch (op) {
                        case LT -> d < bound;
                        case LTE -> d <= bound;
                        case GT -> d > bound;
                        default -> d >= bound;
                    };
            if (hit) {
                return MATCH;
            }
        }
        return NO_MATCH;
    }

    private int compareInstant(Object value) {
        Instant instant = value instanceof Instant i
                ? i
                : value instanceof Double ms
                        ? Instant.ofEpochMilli(ms.longValue())
                        : value instanceof String s ? Values.parseInstant(s) : null;
        if (instant == null) {
            return NOT_COMPARABLE;
        }
        for (Instant bound : instants) {
            if (op == Operator.BEFORE ? instant.isBefore(bound) : instant.isAfter(bound)) {
                return MATCH;
            }
        }
        return NO_MATCH;
    }

    private static int outcome(boolean hit) {
        return hit ? MATCH : NO_MATCH;
    }

    /** Keys of the segments this clause references (for dependency tracking), or an empty array. */
    static String[] segmentKeys(Clause clause) {
        if (clause.op() != Operator.IN_SEGMENT) {
            return new String[0];
        }
        return clause.values().stream()
                .filter(JsonNode::isTextual)
                .map(JsonNode::textValue)
                .toArray(String[]::new);
    }
}
