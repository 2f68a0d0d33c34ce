package io.flagstore.openfeature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts JSON variant values into OpenFeature {@link Value}s. The result is deeply immutable
 * (immutable structures, unmodifiable lists), so an application cannot alter what it was served.
 */
final class JsonValues {
    private JsonValues() {}

    /**
     * Objects become structures (unordered, as OpenFeature's are), arrays lists, JSON null the null value;
     * integers become {@code Integer} when they fit, else {@code Long}, else (beyond 64 bits)
     * {@code Double}; other numbers {@code Double}.
     */
    static Value toValue(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT:
                Map<String, Value> members = new HashMap<>();
                node.properties().forEach(e -> members.put(e.getKey(), toValue(e.getValue())));
                return new Value(new ImmutableStructure(members));
            case ARRAY:
                List<Value> elements = new ArrayList<>(node.size());
                node.forEach(element -> elements.add(toValue(element)));
                return new Value(Collections.unmodifiableList(elements));
            case STRING:
                return new Value(node.textValue());
            case BOOLEAN:
                return new Value(node.booleanValue());
            case NUMBER:
                if (node.isIntegralNumber() && node.canConvertToInt()) {
                    return new Value(node.intValue());
                }
                if (node.isIntegralNumber() && node.canConvertToLong()) {
                    return new Value(node.longValue());
                }
                return new Value(node.doubleValue());
            default:
                // NULL, and types Jackson only produces for POJO or binary nodes, which flags never hold.
                return new Value();
        }
    }
}
