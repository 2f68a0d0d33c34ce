package io.flagstore.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Value;
import io.flagstore.core.EvaluationContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContextsTest {
    @Test
    void missingContextOrTargetingKeyIsTheEmptyKey() {
        assertThat(Contexts.toFlagStore(null).key()).isEmpty();
        assertThat(Contexts.toFlagStore(new ImmutableContext()).key()).isEmpty();
        assertThat(Contexts.toFlagStore(new ImmutableContext("u-1")).key()).isEqualTo("u-1");
    }

    /**
     * Nest a random flat set of dotted attributes into OpenFeature structures, add what must be left
     * out (nulls, a {@code key} attribute, structures inside lists), and map it back: exactly the flat
     * set comes out.
     */
    @ParameterizedTest
    @ValueSource(longs = {1L, 2L, 3L, 99L, 20261125L})
    void nestedAttributesFlattenToTheirDottedNames(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            Map<String, Object> expected = new HashMap<>();
            Map<String, Object> tree = new HashMap<>();
            for (int i = random.nextInt(8); i > 0; i--) {
                List<String> path = randomPath(random);
                Object[] leaf = randomLeaf(random);
                if (put(tree, path, 0, leaf[0])) {
                    expected.put(String.join(".", path), leaf[1]);
                }
            }
            Map<String, Value> attributes = toValues(tree);
            attributes.put("key", new Value("not-the-key"));
            attributes.put("nothing", new Value());

            EvaluationContext mapped = Contexts.toFlagStore(new ImmutableContext("user-" + round, attributes));

            assertThat(mapped.key()).isEqualTo("user-" + round);
            assertThat(mapped.attributes())
                    .as("seed %d round %d tree %s", seed, round, tree)
                    .isEqualTo(expected);
        }
    }

    private static List<String> randomPath(SplittableRandom random) {
        List<String> path = new ArrayList<>();
        for (int depth = 1 + random.nextInt(3); depth > 0; depth--) {
            path.add(String.valueOf((char) ('a' + random.nextInt(3))));
        }
        return path;
    }

    /** An OpenFeature leaf value and what flag-store must hold for it. */
    private static Object[] randomLeaf(SplittableRandom random) {
        switch (random.nextInt(7)) {
            case 0:
                String s = Long.toString(random.nextLong(), 36);
                return new Object[] {new Value(s), s};
            case 1:
                boolean b = random.nextBoolean();
                return new Object[] {new Value(b), b};
            case 2:
                int i = random.nextInt();
                return new Object[] {new Value(i), (double) i};
            case 3:
                long l = random.nextLong();
                return new Object[] {new Value(l), (double) l};
            case 4:
                double d = random.nextDouble();
                return new Object[] {new Value(d), d};
            case 5:
                Instant t = Instant.ofEpochMilli(random.nextLong(4_000_000_000_000L));
                return new Object[] {new Value(t), t};
            default:
                List<Value> list = new ArrayList<>();
                List<Object> scalars = new ArrayList<>();
                for (int n = random.nextInt(4); n > 0; n--) {
                    if (random.nextInt(4) == 0) {
                        list.add(new Value(new ImmutableStructure(Map.of("x", new Value(1)))));
                    } else {
                        Object[] element = randomLeaf(random);
                        if (element[1] instanceof List) {
                            continue; // lists inside lists are left out too; keep the expectation simple
                        }
                        list.add((Value) element[0]);
                        scalars.add(element[1]);
                    }
                }
                return new Object[] {new Value(list), scalars};
        }
    }

    /** Puts a leaf at {@code path} unless the path collides with what is there; returns whether it did. */
    @SuppressWarnings("unchecked")
    private static boolean put(Map<String, Object> node, List<String> path, int index, Object leaf) {
        String name = path.get(index);
        Object existing = node.get(name);
        if (index == path.size() - 1) {
            if (existing != null) {
                return false;
            }
            node.put(name, leaf);
            return true;
        }
        if (existing == null) {
            existing = new HashMap<String, Object>();
            node.put(name, existing);
        } else if (!(existing instanceof Map)) {
            return false;
        }
        return put((Map<String, Object>) existing, path, index + 1, leaf);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Value> toValues(Map<String, Object> node) {
        Map<String, Value> values = new HashMap<>();
        node.forEach((name, child) -> values.put(
                name,
                child instanceof Map
                        ? new Value(new ImmutableStructure(toValues((Map<String, Object>) child)))
                        : (Value) child));
        return values;
    }
}
