package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Booleans and plain integers in a hash are read without a parser: whatever text that takes, the node
 * must be the one the parser reads, of the same class (an int where Jackson reads an int).
 */
class HashLiteralTest {
    private static final String ALPHABET = "0123456789-+.eE truefalsn";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "true",
                "false",
                "0",
                "-0",
                "7",
                "-7",
                "4211",
                "2147483647",
                "2147483648",
                "-2147483648",
                "-2147483649",
                "999999999999999999",
                "-999999999999999999"
            })
    void theCommonFieldsAreReadWithoutAParserAsTheParserReadsThem(String text) throws JsonProcessingException {
        JsonNode literal = FlagHashCodec.literal(text);

        assertThat(literal).isNotNull();
        assertThat(literal).isEqualTo(Json.MAPPER.readTree(text));
        assertThat(literal.getClass()).isEqualTo(Json.MAPPER.readTree(text).getClass());
    }

    @RepeatedTest(500)
    void anyTextIsEitherLeftToTheParserOrReadAsTheParserReadsIt(RepetitionInfo repetition) {
        long seed = 0x11_7E4A_0000L + repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 100; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(22); n > 0; n--) {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            JsonNode literal = FlagHashCodec.literal(text.toString());
            if (literal == null) {
                continue;
            }
            JsonNode parsed;
            try {
                parsed = Json.MAPPER.readTree(text.toString());
            } catch (JsonProcessingException e) {
                parsed = null; // refused by the parser: the fast path must have refused it too
            }
            assertThat(literal).as("seed %d: %s", seed, text).isEqualTo(parsed);
            assertThat(literal.getClass()).as("seed %d: %s", seed, text).isEqualTo(parsed.getClass());
        }
    }
}
