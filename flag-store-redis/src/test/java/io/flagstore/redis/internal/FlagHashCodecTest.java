package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagGenerator;
import io.flagstore.core.model.Segment;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlagHashCodecTest {

    @Test
    void killSwitchFlattensToPlainFields() {
        Flag flag = Flag.killSwitch("new-checkout").withVersion(7, Instant.parse("2026-11-25T10:00:00Z"), "alice");
        Map<String, String> fields = FlagHashCodec.toFields(flag);
        assertThat(fields)
                .containsEntry("key", "new-checkout")
                .containsEntry("type", "boolean")
                .containsEntry("enabled", "true")
                .containsEntry("variants", "{\"on\":true,\"off\":false}")
                .containsEntry("offVariant", "off")
                .containsEntry("version", "7")
                .containsEntry("updatedAt", "2026-11-25T10:00:00Z")
                .containsEntry("updatedBy", "alice");
        assertThat(FlagHashCodec.fromFields(fields)).isEqualTo(flag);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 42, 20261125})
    void generatedFlagsAndSegmentsRoundTrip(long seed) {
        FlagGenerator generator = new FlagGenerator(seed);
        for (int i = 0; i < 100; i++) {
            Flag flag = generator.flag();
            assertThat(FlagHashCodec.fromFields(FlagHashCodec.toFields(flag)))
                    .as("seed %d, flag %d", seed, i)
                    .isEqualTo(flag);
            Segment segment = generator.segment();
            assertThat(FlagHashCodec.segmentFromFields(FlagHashCodec.segmentToFields(segment)))
                    .as("seed %d, segment %d", seed, i)
                    .isEqualTo(segment);
        }
    }

    @Test
    void handEditedNonsenseIsRefusedNamingTheFields() {
        Map<String, String> fields = new LinkedHashMap<>(FlagHashCodec.toFields(Flag.killSwitch("k")));
        fields.put("enabled", "yes");
        fields.put("rules", "[{broken");
        assertThatThrownBy(() -> FlagHashCodec.fromFields(fields))
                .isInstanceOfSatisfying(InvalidFlagException.class, e -> assertThat(e.problems())
                        .hasSize(2)
                        .anySatisfy(p -> assertThat(p).startsWith("enabled: not valid JSON"))
                        .anySatisfy(p -> assertThat(p).startsWith("rules: not valid JSON")));
    }

    @Test
    void emptyHashIsRefused() {
        assertThatThrownBy(() -> FlagHashCodec.fromFields(Map.of()))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> FlagHashCodec.segmentFromFields(Map.of("key", "s", "included", "7")))
                .isInstanceOf(InvalidFlagException.class);
    }

    @Test
    void textThatLooksLikeJsonStaysText() {
        Flag flag = Flag.killSwitch("k").toBuilder()
                .description("[not json] {either}")
                .tags(List.of("a"))
                .build();
        Map<String, String> fields = FlagHashCodec.toFields(flag);
        assertThat(fields).containsEntry("description", "[not json] {either}").containsEntry("tags", "[\"a\"]");
        assertThat(FlagHashCodec.fromFields(fields)).isEqualTo(flag);
    }
}
