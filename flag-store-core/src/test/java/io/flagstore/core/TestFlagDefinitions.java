package io.flagstore.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagType;
import io.flagstore.core.model.Serve;

/** Flags serving one value to everyone, for client tests. */
final class TestFlagDefinitions {
    private TestFlagDefinitions() {}

    static Flag bool(String key, boolean on) {
        return Flag.booleanFlag(key).enabled(on).build();
    }

    static Flag string(String key, String value) {
        return single(key, FlagType.STRING, TextNode.valueOf(value));
    }

    static Flag number(String key, double value) {
        return single(key, FlagType.NUMBER, DoubleNode.valueOf(value));
    }

    static Flag json(String key, JsonNode value) {
        return single(key, FlagType.JSON, value);
    }

    static Flag single(String key, FlagType type, JsonNode value) {
        return Flag.builder(key, type)
                .enabled(true)
                .variant("v", value)
                .offVariant("v")
                .fallthrough(Serve.variant("v"))
                .build();
    }
}
