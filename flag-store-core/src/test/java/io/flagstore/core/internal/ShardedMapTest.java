package io.flagstore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ShardedMap} behaves like a {@code HashMap} copied per change, and never changes a map it was derived from. */
class ShardedMapTest {
    static LongStream seeds() {
        return TestFlags.seeds(40);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomChangesMatchAHashMapAndLeaveEarlierVersionsIntact(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int keySpace = 1 + random.nextInt(2_000);
        Map<String, Integer> expected = new HashMap<>();
        ShardedMap<Integer> map = ShardedMap.empty();
        for (int step = 0; step < 60; step++) {
            Map<String, Integer> changes = new HashMap<>();
            int count = random.nextInt(10) == 0 ? random.nextInt(keySpace + 1) : 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                String key = "flag-" + random.nextInt(keySpace);
                changes.put(key, random.nextInt(4) == 0 ? null : random.nextInt());
            }
            Map<String, Integer> before = new HashMap<>(expected);
            ShardedMap<Integer> previous = map;
            map = map.with(changes);
            changes.forEach((key, value) -> {
                if (value == null) {
                    expected.remove(key);
                } else {
                    expected.put(key, value);
                }
            });
            String where = "seed " + seed + ", step " + step;
            assertThat(map.size()).as(where).isEqualTo(expected.size());
            assertThat(map.asMap(Function.identity())).as(where).isEqualTo(expected);
            assertThat(previous.asMap(Function.identity()))
                    .as(where + " (earlier map)")
                    .isEqualTo(before);
            for (int i = 0; i < 20; i++) {
                String key = "flag-" + random.nextInt(keySpace + 10);
                assertThat(map.get(key)).as(where + ", " + key).isEqualTo(expected.get(key));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void ofHoldsExactlyTheEntries(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Integer> entries = new HashMap<>();
        int n = random.nextInt(5_000);
        for (int i = 0; i < n; i++) {
            entries.put(Integer.toString(random.nextInt()), i);
        }
        ShardedMap<Integer> map = ShardedMap.of(entries);
        assertThat(map.asMap(Function.identity())).as("seed %d", seed).isEqualTo(entries);
        Map<String, Integer> seen = new HashMap<>();
        map.forEach(seen::put);
        assertThat(seen).as("seed %d", seed).isEqualTo(entries);
    }
}
