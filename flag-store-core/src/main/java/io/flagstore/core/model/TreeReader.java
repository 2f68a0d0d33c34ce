package io.flagstore.core.model;

import static io.flagstore.core.model.FieldPath.field;
import static io.flagstore.core.model.FieldPath.index;
import static io.flagstore.core.model.FieldPath.member;
import static io.flagstore.core.model.Problems.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the JSON tree form by hand, so that every problem is reported with its path and reading goes
 * on after one. What cannot be represented is reported, replaced by a placeholder, and its path
 * covered (see {@link Problems}); the result is then checked by {@link FlagValidator}.
 */
final class TreeReader {
    private static final String OPERATORS =
            Arrays.stream(Operator.values()).map(Operator::jsonName).collect(Collectors.joining(", "));
    private static final String TYPES = Arrays.stream(FlagType.values())
            .map(t -> t.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));

    private final Problems problems;

    TreeReader(Problems problems) {
        this.problems = problems;
    }

    /** Reads a flag, or returns {@code null} (problem reported) when {@code node} is not an object. */
    Flag flag(JsonNode node, FieldPath base) {
        if (!isObject(node, base, "a flag object such as {\"key\": \"my-flag\"}")) {
            return null;
        }
        // read in property order, so problems come out in document order
        String key = requiredText(node, base, "key");
        FlagType type = type(node, base);
        boolean enabled = bool(node, base, "enabled");
        Map<String, JsonNode> variants = variants(node, base, type);
        boolean booleanDefaults = type == FlagType.BOOLEAN;
        String offVariant = text(node, base, "offVariant");
        if (offVariant == null && !has(node, "offVariant")) {
            offVariant = booleanDefaults && variants.containsKey(Flag.OFF)
                    ? Flag.OFF
                    : missing(base, "offVariant", "required: the variant served while the flag is disabled");
        }
        Map<String, List<String>> targets = targets(node, base);
        List<Rule> rules = list(node, base, "rules", this::rule);
        Serve fallthrough = has(node, "fallthrough")
                ? serve(node.get("fallthrough"), field(base, "fallthrough"))
                : booleanDefaults && variants.containsKey(Flag.ON)
                        ? Serve.variant(Flag.ON)
                        : placeholderServe(
                                field(base, "fallthrough"), "required: what is served when no target or rule matches");
        return new Flag(
                key == null ? "" : key,
                type,
                enabled,
                variants,
                offVariant == null ? "" : offVariant,
                targets,
                rules,
                fallthrough,
                list(node, base, "prerequisites", this::prerequisite),
                text(node, base, "salt"),
                text(node, base, "description"),
                text(node, base, "owner"),
                strings(node, base, "tags"),
                bool(node, base, "temporary"),
                instant(node, base, "expiresAt", true),
                instant(node, base, "createdAt", false),
                instant(node, base, "updatedAt", false),
                text(node, base, "updatedBy"),
                version(node, base),
                experiment(node, base));
    }

    /** The optional experiment; {@code null} when absent or unreadable (problem reported). */
    private Experiment experiment(JsonNode node, FieldPath base) {
        JsonNode e = node.get("experiment");
        FieldPath path = field(base, "experiment");
        if (isAbsent(e)) {
            return null;
        }
        if (!isObject(
                e,
                path,
                "an experiment object such as {\"control\": \"off\", \"metrics\": [\"checkout.completed\"],"
                        + " \"startAt\": \"2027-01-31T00:00:00Z\"}")) {
            return null;
        }
        String control = requiredText(e, path, "control");
        String hypothesis = text(e, path, "hypothesis");
        List<String> metrics = strings(e, path, "metrics");
        String rule = text(e, path, "rule");
        Instant startAt = instant(e, path, "startAt", false);
        if (startAt == null && !has(e, "startAt")) {
            problems.parse(field(path, "startAt"), "required: when the experiment starts counting");
        }
        Instant stopAt = instant(e, path, "stopAt", false);
        return control == null || startAt == null
                ? null
                : new Experiment(control, hypothesis, metrics, rule, startAt, stopAt);
    }

    /** Reads a segment, or returns {@code null} (problem reported) when {@code node} is not an object. */
    Segment segment(JsonNode node, FieldPath base) {
        if (!isObject(node, base, "a segment object such as {\"key\": \"beta-testers\"}")) {
            return null;
        }
        String key = requiredText(node, base, "key");
        return new Segment(
                key == null ? "" : key,
                text(node, base, "description"),
                strings(node, base, "included"),
                strings(node, base, "excluded"),
                list(node, base, "rules", this::segmentRule),
                instant(node, base, "updatedAt", false),
                version(node, base));
    }

    private FlagType type(JsonNode node, FieldPath base) {
        String name = text(node, base, "type");
        if (name == null && !has(node, "type")) {
            return FlagType.BOOLEAN;
        }
        for (FlagType t : FlagType.values()) {
            if (t.name().toLowerCase(Locale.ROOT).equals(name)) {
                return t;
            }
        }
        if (name != null) {
            problems.parse(field(base, "type"), "unknown type " + quote(name) + " (expected one of " + TYPES + ")");
        }
        // value types cannot be checked against an unknown type
        problems.suppress(field(base, "variants"));
        return FlagType.JSON;
    }

    private Map<String, JsonNode> variants(JsonNode node, FieldPath base, FlagType type) {
        Map<String, JsonNode> variants = new LinkedHashMap<>();
        JsonNode v = node.get("variants");
        if (isAbsent(v)) {
            if (type == FlagType.BOOLEAN) {
                variants.put(Flag.ON, BooleanNode.TRUE);
                variants.put(Flag.OFF, BooleanNode.FALSE);
            }
        } else if (v.isObject()) {
            v.properties().forEach(e -> variants.put(e.getKey(), e.getValue().deepCopy()));
        } else {
            problems.parse(
                    field(base, "variants"),
                    "expected an object of variant names to values, such as {\"on\": true, \"off\": false}, got "
                            + kind(v));
        }
        return variants;
    }

    private Map<String, List<String>> targets(JsonNode node, FieldPath base) {
        Map<String, List<String>> targets = new LinkedHashMap<>();
        JsonNode t = node.get("targets");
        FieldPath path = field(base, "targets");
        if (isAbsent(t)) {
            return targets;
        }
        if (!t.isObject()) {
            problems.parse(
                    path,
                    "expected an object of variant names to context keys, such as {\"on\": [\"user-1\"]}, got "
                            + kind(t));
            return targets;
        }
        t.properties().forEach(e -> {
            List<String> keys = strings(e.getValue(), member(path, e.getKey()));
            if (!keys.isEmpty()) {
                targets.put(e.getKey(), keys);
            }
        });
        return targets;
    }

    private Rule rule(JsonNode node, FieldPath base, int i) {
        if (!isObject(node, base, "a rule object")) {
            return new Rule("", null, List.of(), Serve.variant(""));
        }
        String id = text(node, base, "id");
        String description = text(node, base, "description");
        List<Clause> clauses = list(node, base, "clauses", this::clause);
        Serve serve = has(node, "serve")
                ? serve(node.get("serve"), field(base, "serve"))
                : placeholderServe(field(base, "serve"), "required: the variant or rollout the rule serves");
        return new Rule(id == null ? "rule-" + (i + 1) : id, description, clauses, serve);
    }

    private List<Clause> segmentRule(JsonNode node, FieldPath base, int i) {
        if (!isObject(node, base, "a segment rule object such as {\"clauses\": [...]}")) {
            return List.of();
        }
        return list(node, base, "clauses", this::clause);
    }

    private Clause clause(JsonNode node, FieldPath base, int i) {
        if (!isObject(
                node,
                base,
                "a clause object such as {\"attribute\": \"country\", \"op\": \"in\", \"values\": [\"NL\"]}")) {
            return new Clause("", Operator.IN, List.of(), false);
        }
        Operator op = Operator.IN;
        String opName = requiredText(node, base, "op");
        if (opName != null) {
            try {
                op = Operator.fromJsonName(opName);
            } catch (IllegalArgumentException e) {
                problems.parse(
                        field(base, "op"),
                        "unknown operator " + quote(opName) + " (expected one of " + OPERATORS + ")");
            }
        }
        if (problems.isCovered(field(base, "op"))) {
            // the values cannot be checked without an operator
            problems.suppress(field(base, "values"));
        }
        String attribute = text(node, base, "attribute");
        if (attribute == null && !has(node, "attribute")) {
            attribute = op == Operator.IN_SEGMENT
                    ? "key"
                    : missing(base, "attribute", "required: the context attribute to compare, such as \"key\"");
        }
        List<JsonNode> values = new ArrayList<>();
        JsonNode v = node.get("values");
        if (isAbsent(v)) {
            problems.parse(field(base, "values"), "required: a non-empty array of values");
        } else if (v.isArray()) {
            v.forEach(value -> values.add(value.deepCopy()));
        } else {
            problems.parse(field(base, "values"), "expected an array, got " + kind(v));
        }
        return new Clause(attribute == null ? "" : attribute, op, values, bool(node, base, "negate"));
    }

    private Prerequisite prerequisite(JsonNode node, FieldPath base, int i) {
        if (!isObject(node, base, "a prerequisite object such as {\"flagKey\": \"other\", \"variant\": \"on\"}")) {
            return new Prerequisite("", "");
        }
        String flagKey = requiredText(node, base, "flagKey");
        String variant = requiredText(node, base, "variant");
        return new Prerequisite(flagKey == null ? "" : flagKey, variant == null ? "" : variant);
    }

    /** A variant name ({@code "on"}), {@code {"variant": "on"}} or {@code {"rollout": {...}}}. */
    private Serve serve(JsonNode node, FieldPath path) {
        if (node.isTextual()) {
            return Serve.variant(node.textValue());
        }
        if (!node.isObject()) {
            return placeholderServe(
                    path, "expected a variant name or an object with \"variant\" or \"rollout\", got " + kind(node));
        }
        boolean hasVariant = has(node, "variant");
        if (hasVariant == has(node, "rollout")) {
            return placeholderServe(path, "expected exactly one of \"variant\" or \"rollout\"");
        }
        if (hasVariant) {
            String variant = text(node, path, "variant");
            return Serve.variant(variant == null ? "" : variant);
        }
        FieldPath rolloutPath = field(path, "rollout");
        JsonNode r = node.get("rollout");
        if (!isObject(
                r,
                rolloutPath,
                "a rollout object such as {\"variants\": [{\"variant\": \"on\", \"weight\": 25}, ...]}")) {
            return Serve.rollout(new Rollout(List.of(), null));
        }
        List<WeightedVariant> slices = list(r, rolloutPath, "variants", this::weightedVariant);
        if (problems.isCovered(field(rolloutPath, "variants"))) {
            // a sum over partly read weights would be wrong
            problems.suppress(rolloutPath);
        }
        return Serve.rollout(new Rollout(slices, text(r, rolloutPath, "bucketBy")));
    }

    private WeightedVariant weightedVariant(JsonNode node, FieldPath base, int i) {
        if (!isObject(node, base, "an object such as {\"variant\": \"on\", \"weight\": 25}")) {
            return new WeightedVariant("", 0);
        }
        String variant = requiredText(node, base, "variant");
        JsonNode w = node.get("weight");
        double weight = 0;
        if (isAbsent(w)) {
            problems.parse(field(base, "weight"), "required: the share in percent, 0 to 100");
        } else if (!w.isNumber()) {
            problems.parse(field(base, "weight"), "expected a number (percent), got " + kind(w));
        } else {
            weight = w.doubleValue();
        }
        return new WeightedVariant(variant == null ? "" : variant, weight);
    }

    private Serve placeholderServe(FieldPath path, String message) {
        problems.parse(path, message);
        return Serve.variant("");
    }

    private String missing(FieldPath base, String name, String message) {
        problems.parse(field(base, name), message);
        return null;
    }

    /**
     * Reads an optional array, one element at a time. After a problem with the array or any element,
     * the whole array is covered: index-based validation of a partly read array would mislead.
     */
    private <T> List<T> list(JsonNode node, FieldPath base, String name, ElementReader<T> reader) {
        FieldPath path = field(base, name);
        JsonNode array = node.get(name);
        List<T> result = new ArrayList<>();
        if (isAbsent(array)) {
            return result;
        }
        if (!array.isArray()) {
            problems.parse(path, "expected an array, got " + kind(array));
            return result;
        }
        for (int i = 0; i < array.size(); i++) {
            result.add(reader.read(array.get(i), index(path, i), i));
        }
        return result;
    }

    private List<String> strings(JsonNode node, FieldPath base, String name) {
        JsonNode array = node.get(name);
        return isAbsent(array) ? new ArrayList<>() : strings(array, field(base, name));
    }

    private List<String> strings(JsonNode array, FieldPath path) {
        List<String> result = new ArrayList<>();
        if (!array.isArray()) {
            problems.parse(path, "expected an array of strings, got " + kind(array));
            return result;
        }
        boolean bad = false;
        for (int i = 0; i < array.size(); i++) {
            JsonNode e = array.get(i);
            if (e.isTextual()) {
                result.add(e.textValue());
            } else {
                problems.parse(index(path, i), "expected a string, got " + kind(e));
                bad = true;
            }
        }
        if (bad) {
            problems.suppress(path);
        }
        return result;
    }

    private boolean isObject(JsonNode node, FieldPath path, String expected) {
        if (node != null && node.isObject()) {
            return true;
        }
        problems.parse(path, "expected " + expected + ", got " + kind(node));
        return false;
    }

    private String requiredText(JsonNode node, FieldPath base, String name) {
        String value = text(node, base, name);
        if (value == null && !has(node, name)) {
            problems.parse(field(base, name), "required");
        }
        return value;
    }

    /** An optional string; {@code null} when absent or not a string (problem reported). */
    private String text(JsonNode node, FieldPath base, String name) {
        JsonNode v = node.get(name);
        if (isAbsent(v)) {
            return null;
        }
        if (!v.isTextual()) {
            problems.parse(field(base, name), "expected a string, got " + kind(v));
            return null;
        }
        return v.textValue();
    }

    private boolean bool(JsonNode node, FieldPath base, String name) {
        JsonNode v = node.get(name);
        if (isAbsent(v)) {
            return false;
        }
        if (!v.isBoolean()) {
            problems.parse(field(base, name), "expected true or false, got " + kind(v));
            return false;
        }
        return v.booleanValue();
    }

    private Instant instant(JsonNode node, FieldPath base, String name, boolean allowDate) {
        String text = text(node, base, name);
        if (text == null) {
            return null;
        }
        try {
            return allowDate && text.length() == 10
                    ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : IsoInstant.parse(text);
        } catch (DateTimeParseException e) {
            problems.parse(
                    field(base, name),
                    quote(text) + " is not an ISO-8601 instant such as 2027-01-31T00:00:00Z"
                            + (allowDate ? " or a date such as 2027-01-31" : ""));
            return null;
        }
    }

    private long version(JsonNode node, FieldPath base) {
        JsonNode v = node.get("version");
        if (isAbsent(v)) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            problems.parse(field(base, "version"), "expected a whole number, got " + kind(v));
            return 0;
        }
        return v.longValue();
    }

    /** A JSON null reads as absent, so writers that emit nulls for optional parts are understood. */
    private static boolean isAbsent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    private static boolean has(JsonNode node, String name) {
        return !isAbsent(node.get(name));
    }

    /** Describes a JSON value for a message: its kind, and short scalars themselves. */
    static String kind(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        return switch (v.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "string " + quote(v.textValue());
            case NUMBER -> "number " + v.asText();
            case BOOLEAN -> "boolean " + v.asText();
            case NULL -> "null";
            default -> v.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    @FunctionalInterface
    private interface ElementReader<T> {
        T read(JsonNode node, FieldPath path, int index);
    }
}
