package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.flagstore.core.InvalidFlagException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagHashCodecHostileTest {
    @Test
    void aHostileStoredValueIsQuotedAndCutInTheProblem() {
        String hostile = "{\n2026-11-25 WARNING forged log line\u0000" + "x".repeat(10_000);
        InvalidFlagException e = catchThrowableOfType(
                InvalidFlagException.class,
                () -> FlagHashCodec.fromFields(Map.of("key", "k", "type", "boolean", "variants", hostile)));

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem).startsWith("variants: not valid JSON").doesNotContainPattern("[\\x00-\\x1F]");
            assertThat(problem)
                    .contains("\"{\\n2026-11-25 WARNING forged log line\\u0000x")
                    .hasSizeLessThan(400);
        });
    }
}
