package io.flagstore.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** {@link OrderedMap} behaves as an unmodifiable {@code LinkedHashMap} (seeded; the seed is in every failure message). */
class OrderedMapTest {
    private static final long BASE_SEED = 0x0DE2_EDL;

    @RepeatedTest(100)
    void actsAsAnUnmodifiableLinkedHashMap(RepetitionInfo repetition) {
        long seed = BASE_SEED + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (int n = random.nextInt(12); n > 0; n--) {
            expected.put("k" + random.nextInt(20), random.nextInt(3) == 0 ? null : random.nextInt());
        }
        Map<String, Integer> map = OrderedMap.copyOf(expected);
        String context = "seed " + seed;
        assertThat(map).as(context).isEqualTo(expected);
        assertThat(map.hashCode()).as(context).isEqualTo(expected.hashCode());
        assertThat(new ArrayList<>(map.keySet())).as(context).isEqualTo(new ArrayList<>(expected.keySet()));
        assertThat(new ArrayList<>(map.values())).as(context).isEqualTo(new ArrayList<>(expected.values()));
        for (int k = 0; k < 20; k++) {
            assertThat(map.get("k" + k)).as(context).isEqualTo(expected.get("k" + k));
            assertThat(map.containsKey("k" + k)).as(context).isEqualTo(expected.containsKey("k" + k));
        }
        assertThat(OrderedMap.copyOf(map)).as(context).isSameAs(map);
    }

    @Test
    void refusesChanges() {
        Map<String, Integer> map = OrderedMap.copyOf(Map.of("a", 1));
        assertThatThrownBy(() -> map.put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> map.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> map.entrySet().iterator().next().setValue(3))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(map).containsExactly(Map.entry("a", 1));
    }
}
