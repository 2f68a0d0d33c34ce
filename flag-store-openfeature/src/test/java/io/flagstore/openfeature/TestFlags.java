package io.flagstore.openfeature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagType;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Serve;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** Test-data helpers for flags of every type. */
final class TestFlags {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestFlags() {}

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An enabled string flag with variants a/b, serving {@code a}, off variant {@code b}. */
    static Flag.Builder stringFlag(String key) {
        return Flag.builder(key, FlagType.STRING)
                .variant("a", NODES.textNode("alpha"))
                .variant("b", NODES.textNode("beta"))
                .offVariant("b")
                .fallthrough(Serve.variant("a"))
                .enabled(true);
    }

    /** An enabled number flag serving {@code value} as variant {@code v}; off variant {@code zero}. */
    static Flag numberFlag(String key, double value) {
        return Flag.builder(key, FlagType.NUMBER)
                .variant("v", NODES.numberNode(value))
                .variant("zero", NODES.numberNode(0))
                .offVariant("zero")
                .fallthrough(Serve.variant("v"))
                .enabled(true)
                .build();
    }

    /** An enabled json flag serving {@code json} as variant {@code v}; off variant {@code none} ({@code {}}). */
    static Flag jsonFlag(String key, String json) {
        return Flag.builder(key, FlagType.JSON)
                .variant("v", json(json))
                .variant("none", NODES.objectNode())
                .offVariant("none")
                .fallthrough(Serve.variant("v"))
                .enabled(true)
                .build();
    }

    static Clause clause(String attribute, Operator op, Object... values) {
        return new Clause(
                attribute,
                op,
                Arrays.stream(values).<JsonNode>map(MAPPER::valueToTree).toList(),
                false);
    }
}
