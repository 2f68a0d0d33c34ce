package io.flagstore.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openfeature.sdk.Value;
import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonValuesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void numbersKeepTheirKind() throws Exception {
        Value v = JsonValues.toValue(MAPPER.readTree(
                "{\"i\":3,\"l\":1099511627776,\"d\":1.0,\"f\":0.25,\"big\":123456789012345678901234567890}"));

        assertThat(v.asStructure().getValue("i").asObject()).isEqualTo(3);
        assertThat(v.asStructure().getValue("l").asObject()).isEqualTo(1099511627776L);
        assertThat(v.asStructure().getValue("d").asObject()).isEqualTo(1.0d);
        assertThat(v.asStructure().getValue("f").asObject()).isEqualTo(0.25d);
        assertThat(v.asStructure().getValue("big").asObject()).isEqualTo(1.2345678901234568e29d);
    }

    @Test
    void scalarsAndNullAtTheTopLevel() throws Exception {
        assertThat(JsonValues.toValue(MAPPER.readTree("\"blue\"")).asString()).isEqualTo("blue");
        assertThat(JsonValues.toValue(MAPPER.readTree("true")).asBoolean()).isTrue();
        assertThat(JsonValues.toValue(MAPPER.readTree("null")).isNull()).isTrue();
        assertThat(JsonValues.toValue(MAPPER.readTree("[]")).asList()).isEmpty();
        assertThat(JsonValues.toValue(MAPPER.readTree("{}")).asStructure().isEmpty())
                .isTrue();
    }

    @Test
    void servedValuesCannotBeAltered() throws Exception {
        Value v = JsonValues.toValue(MAPPER.readTree("{\"list\":[1,2],\"obj\":{\"a\":1}}"));

        Value top = JsonValues.toValue(MAPPER.readTree("[1,2]"));
        assertThatThrownBy(() -> top.asList().add(new Value(3))).isInstanceOf(UnsupportedOperationException.class);

        List<Value> nested = v.asStructure().getValue("list").asList();
        try {
            nested.clear();
        } catch (UnsupportedOperationException refused) {
            // refusing is as good as handing out a copy: the served value must not change
        }
        v.asStructure().asMap().remove("obj");
        assertThat(v.asStructure().getValue("list").asList()).hasSize(2);
        assertThat(v.asStructure().keySet()).containsExactlyInAnyOrder("list", "obj");
    }

    /** Converting any JSON tree and back yields the same tree (numbers compared by value). */
    @ParameterizedTest
    @ValueSource(longs = {1L, 2L, 3L, 42L, 20261125L})
    void randomTreesConvertFaithfully(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++) {
            JsonNode tree = randomNode(random, 4);

            JsonNode back = toJson(JsonValues.toValue(tree));

            assertThat(back).as("seed %d, tree %d: %s", seed, i, tree).isEqualTo(normalised(tree));
        }
    }

    private static JsonNode randomNode(SplittableRandom random, int depth) {
        int kind = random.nextInt(depth == 0 ? 6 : 8);
        switch (kind) {
            case 0:
                return NODES.nullNode();
            case 1:
                return NODES.booleanNode(random.nextBoolean());
            case 2:
                return NODES.textNode(Long.toString(random.nextLong(), 36));
            case 3:
                return NODES.numberNode(random.nextInt());
            case 4:
                return NODES.numberNode(random.nextLong());
            case 5:
                return NODES.numberNode(random.nextDouble() * 1e6 - 5e5);
            case 6:
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomNode(random, depth - 1));
                }
                return array;
            default:
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set("m" + random.nextInt(10), randomNode(random, depth - 1));
                }
                return object;
        }
    }

    /** The tree with integral numbers as longs, so IntNode(3) and LongNode(3) compare equal. */
    private static JsonNode normalised(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return NODES.numberNode(node.longValue());
        }
        if (node.isArray()) {
            ArrayNode array = NODES.arrayNode();
            node.forEach(e -> array.add(normalised(e)));
            return array;
        }
        if (node.isObject()) {
            ObjectNode object = NODES.objectNode();
            node.properties().forEach(e -> object.set(e.getKey(), normalised(e.getValue())));
            return object;
        }
        return node;
    }

    private static JsonNode toJson(Value value) {
        if (value.isNull()) {
            return NODES.nullNode();
        }
        if (value.isStructure()) {
            ObjectNode object = NODES.objectNode();
            value.asStructure().asMap().forEach((k, v) -> object.set(k, toJson(v)));
            return object;
        }
        if (value.isList()) {
            ArrayNode array = NODES.arrayNode();
            value.asList().forEach(v -> array.add(toJson(v)));
            return array;
        }
        Object o = value.asObject();
        if (o instanceof Integer || o instanceof Long) {
            return NODES.numberNode(((Number) o).longValue());
        }
        if (o instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (o instanceof BigInteger b) {
            return NODES.numberNode(b);
        }
        return MAPPER.valueToTree(o);
    }
}
