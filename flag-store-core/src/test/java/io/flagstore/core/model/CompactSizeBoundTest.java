package io.flagstore.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.InvalidFlagException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * The validator skips writing a definition's JSON out when a bound shows it is far below the size
 * limit: the bound must never be below the real size, whatever the strings and numbers hold.
 */
class CompactSizeBoundTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @RepeatedTest(200)
    void theBoundIsNeverBelowTheCompactSize(RepetitionInfo repetition) {
        long seed = 0x51_2EB0_0000L + repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        JsonNode tree = node(random, 0);

        long size = FlagJson.compactSize(tree);
        long bound = FlagJson.compactSizeBound(tree);

        assertThat(bound).as("seed %d: %s", seed, tree).isGreaterThanOrEqualTo(size);
    }

    @Test
    void aDefinitionOverTheLimitIsStillRefusedWithItsExactSize() {
        // built, not read from text: only the validator's own size check can refuse it
        Flag flag = Flag.builder("big", FlagType.STRING)
                .variant("a", "\u0001".repeat(200_000)) // written as six-byte escapes: 1.2 MB
                .offVariant("a")
                .fallthrough(Serve.variant("a"))
                .build();
        long size = FlagJson.compactSize(FlagJson.toTree(flag));

        assertThatThrownBy(() -> FlagJson.fromTree(FlagJson.toTree(flag)))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining("flag: the JSON form is " + size + " bytes, over the limit of 1048576 bytes");
    }

    private static JsonNode node(SplittableRandom random, int depth) {
        int kind = random.nextInt(depth > 4 ? 6 : 8);
        return switch (kind) {
            case 0 -> NODES.textNode(text(random));
            case 1 -> NODES.numberNode(random.nextLong(Long.MIN_VALUE, Long.MAX_VALUE));
            case 2 -> NODES.numberNode(
                    random.nextBoolean() ? -Double.MIN_NORMAL * random.nextDouble() : -Double.MAX_VALUE / 3);
            case 3 -> random.nextBoolean()
                    ? NODES.numberNode(new BigInteger(300, new java.util.Random(random.nextLong())))
                    : NODES.numberNode(new BigDecimal("1E+" + random.nextInt(400)));
            case 4 -> NODES.booleanNode(random.nextBoolean());
            case 5 -> NODES.nullNode();
            case 6 -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(6); i > 0; i--) {
                    object.set(text(random), node(random, depth + 1));
                }
                yield object;
            }
            default -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(6); i > 0; i--) {
                    array.add(node(random, depth + 1));
                }
                yield array;
            }
        };
    }

    /** Text with what escapes or encodes longest: control characters, quotes, non-ASCII, surrogate pairs. */
    private static String text(SplittableRandom random) {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(20); i > 0; i--) {
            switch (random.nextInt(6)) {
                case 0 -> s.append((char) random.nextInt(0x20));
                case 1 -> s.append(random.nextBoolean() ? '"' : '\\');
                case 2 -> s.append((char) (0x80 + random.nextInt(0x780)));
                case 3 -> s.append((char) (0x800 + random.nextInt(0xD000)));
                case 4 -> s.appendCodePoint(0x10000 + random.nextInt(0xFFFFF));
                default -> s.append((char) ('a' + random.nextInt(26)));
            }
        }
        return s.toString();
    }
}
