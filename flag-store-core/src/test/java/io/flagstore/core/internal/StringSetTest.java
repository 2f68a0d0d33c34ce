package io.flagstore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StringSetTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 4711})
    void answersLikeAHashSetForMembersAndStrangers(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Set<String> members = new HashSet<>();
        int size = random.nextInt(0, 300);
        for (int i = 0; i < size; i++) {
            members.add(randomText(random));
        }
        String[] table = StringSet.table(members);
        for (String member : members) {
            // a copy, so the lookup cannot succeed on identity alone
            assertThat(contains(table, new String(member)))
                    .as("seed %d, member '%s'", seed, member)
                    .isTrue();
        }
        for (int i = 0; i < 1000; i++) {
            String probe = randomText(random);
            assertThat(contains(table, probe))
                    .as("seed %d, probe '%s'", seed, probe)
                    .isEqualTo(members.contains(probe));
        }
    }

    @ParameterizedTest(name = "{0} values")
    @ValueSource(ints = {0, 1, 2, 3, 8, 1000})
    void holdsEveryValueOfAnySize(int size) {
        List<String> values =
                java.util.stream.IntStream.range(0, size).mapToObj(i -> "v" + i).toList();
        String[] table = StringSet.table(values);
        assertThat(values).allMatch(value -> contains(table, value));
        assertThat(contains(table, "absent")).isFalse();
    }

    private static boolean contains(String[] table, String s) {
        return StringSet.contains(table, table.length - 1, s);
    }

    private static String randomText(SplittableRandom random) {
        int length = random.nextInt(0, 6);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) random.nextInt('a', 'e'));
        }
        return text.toString();
    }
}
