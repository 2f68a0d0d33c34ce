package io.flagstore.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.Segment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flattens the {@code FlagJson} tree form of a flag or segment into hash fields and back, so
 * {@code HGETALL} shows a person plain fields: text as-is, numbers and booleans as their JSON text,
 * objects and arrays as compact JSON strings.
 *
 * <p>Stateless and thread-safe.
 */
public final class FlagHashCodec {
    /** Flag fields whose hash value is JSON text (structured parts, numbers, booleans). */
    public static final Set<String> FLAG_JSON_FIELDS = Set.of(
            "enabled",
            "variants",
            "targets",
            "rules",
            "fallthrough",
            "prerequisites",
            "experiment",
            "tags",
            "temporary",
            "version");
    /** Segment fields whose hash value is JSON text. */
    static final Set<String> SEGMENT_JSON_FIELDS = Set.of("included", "excluded", "rules", "version");

    private FlagHashCodec() {}

    /** The hash fields of {@code flag}. */
    public static Map<String, String> toFields(Flag flag) {
        return fields(FlagJson.toTree(flag));
    }

    /** The hash fields of {@code segment}. */
    public static Map<String, String> segmentToFields(Segment segment) {
        return fields(FlagJson.segmentToTree(segment));
    }

    /**
     * Reads a flag from its hash fields.
     *
     * @throws InvalidFlagException listing every problem (a field that is not JSON, a missing key,
     *     whatever {@code FlagJson} refuses)
     */
    public static Flag fromFields(Map<String, String> fields) {
        return FlagJson.fromTree(tree(fields, FLAG_JSON_FIELDS));
    }

    /**
     * Reads a segment from its hash fields.
     *
     * @throws InvalidFlagException listing every problem
     */
    public static Segment segmentFromFields(Map<String, String> fields) {
        return FlagJson.segmentFromTree(tree(fields, SEGMENT_JSON_FIELDS));
    }

    /** Flattens a tree: one field per top-level property, null properties left out. */
    public static Map<String, String> fields(ObjectNode tree) {
        Map<String, String> out = new LinkedHashMap<>();
        tree.properties().forEach(e -> {
            JsonNode value = e.getValue();
            if (!value.isNull()) {
                out.put(e.getKey(), value.isTextual() ? value.asText() : value.toString());
            }
        });
        return out;
    }

    private static ObjectNode tree(Map<String, String> fields, Set<String> jsonFields) {
        if (fields.isEmpty()) {
            throw new InvalidFlagException(List.of("the hash is empty or missing"));
        }
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        List<String> problems = new ArrayList<>();
        fields.forEach((name, value) -> {
            if (!jsonFields.contains(name)) {
                tree.put(name, value);
                return;
            }
            JsonNode literal = literal(value);
            if (literal != null) {
                tree.set(name, literal);
                return;
            }
            try {
                tree.set(name, Json.TREES.readTree(value));
            } catch (JsonProcessingException e) {
                problems.add(name + ": not valid JSON (" + Json.parserMessage(e.getOriginalMessage()) + "): "
                        + Json.quoteForMessage(value, 100));
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidFlagException(problems);
        }
        return tree;
    }

    /**
     * The node Jackson reads from {@code true}, {@code false} or an integer of at most 18 digits in
     * plain form (the {@code enabled}, {@code temporary} and {@code version} of nearly every hash),
     * without a parser each; {@code null} for any other text, which the parser reads.
     */
    static JsonNode literal(String value) {
        if (value.equals("true") || value.equals("false")) {
            return BooleanNode.valueOf(value.equals("true"));
        }
        int digitsFrom = value.startsWith("-") ? 1 : 0;
        int digits = value.length() - digitsFrom;
        if (digits < 1 || digits > 18 || (value.charAt(digitsFrom) == '0' && digits > 1)) {
            return null; // empty, beyond a long's safe width, or a leading zero the parser refuses
        }
        for (int i = digitsFrom; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        long number = Long.parseLong(value);
        return number == (int) number ? IntNode.valueOf((int) number) : LongNode.valueOf(number);
    }
}
