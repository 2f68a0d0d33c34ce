package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** The source's compact map behaves as a {@code HashMap} under any sequence of changes. */
class CompactMapTest {

    @RepeatedTest(40)
    void anySequenceOfPutsAndRemovesLeavesWhatAHashMapHolds(RepetitionInfo repetition) {
        long seed = 0xC0_3AC7_0000L + repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        // few keys: long probe runs and many removals in them; many keys: resizes
        int keys = repetition.getCurrentRepetition() % 2 == 0 ? 24 : 3_000;
        CompactMap<Integer> map = new CompactMap<>();
        Map<String, Integer> expected = new HashMap<>();
        for (int step = 0; step < 20_000; step++) {
            String key = "flag-" + random.nextInt(keys);
            int op = random.nextInt(10);
            if (op < 5) {
                int value = random.nextInt();
                assertThat(map.put(key, value)).as("put %s, seed %d", key, seed).isEqualTo(expected.put(key, value));
            } else if (op < 9) {
                assertThat(map.remove(key)).as("remove %s, seed %d", key, seed).isEqualTo(expected.remove(key));
            } else if (random.nextInt(200) == 0) {
                map.clear();
                expected.clear();
            }
            assertThat(map.size()).as("size, seed %d", seed).isEqualTo(expected.size());
        }
        for (int k = 0; k < keys; k++) {
            String key = "flag-" + k;
            assertThat(map.get(key)).as("get %s, seed %d", key, seed).isEqualTo(expected.get(key));
            assertThat(map.containsKey(key))
                    .as("contains %s, seed %d", key, seed)
                    .isEqualTo(expected.containsKey(key));
        }
        assertThat(map).as("entries, seed %d", seed).isEqualTo(expected);
        Map<String, Integer> visited = new HashMap<>();
        map.forEach(visited::put);
        assertThat(visited).as("forEach, seed %d", seed).isEqualTo(expected);
    }

    @Test
    void keysCollidingOnTheirHomeSlotStayReachableAfterRemovals() {
        // "Aa" and "BB" have the same hash code, so they share a home slot and one probe run
        CompactMap<String> map = new CompactMap<>();
        map.put("Aa", "first");
        map.put("BB", "second");
        map.put("AaAa", "third");
        map.put("BBBB", "fourth");
        map.remove("Aa");
        assertThat(map)
                .containsOnly(Map.entry("BB", "second"), Map.entry("AaAa", "third"), Map.entry("BBBB", "fourth"));
        map.remove("AaAa");
        assertThat(map.get("BBBB")).isEqualTo("fourth");
        assertThat(map.get("Aa")).isNull();
    }

    @Test
    void nullKeysAndValuesAreRefusedAndOtherKeyTypesAreAbsent() {
        CompactMap<String> map = new CompactMap<>();
        assertThatThrownBy(() -> map.put(null, "v"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("key");
        assertThatThrownBy(() -> map.put("k", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("value");
        assertThat(map.get(42)).isNull();
        assertThat(map.remove(42)).isNull();
        assertThat(map.containsKey(42)).isFalse();
    }
}
