package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.FlagType;
import io.flagstore.core.model.FlagValidator;
import io.flagstore.core.model.Prerequisite;
import io.flagstore.core.model.Segment;
import io.flagstore.core.model.Serve;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RedisServerExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dependents index the write script keeps, and the reference check that reads it: random
 * creates, deletes, variant and prerequisite changes (seeded; the seed is in every failure message)
 * are refused exactly when the whole-set check would refuse them, and the index names exactly the
 * stored prerequisites.
 */
class DependentsIndexIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private static final List<String> VARIANTS = List.of("a", "b", "c");
    private static final int FLAGS = 10;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5L, 17L, 20261204L})
    void referenceWritesAreRefusedExactlyWhenTheWholeSetCheckWould(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        RedisOptions options = options();
        KeySchema keys = KeySchema.of(options.namespace());
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            int refused = 0;
            int writes = 80;
            for (int write = 1; write <= writes; write++) {
                Map<String, Flag> before = new TreeMap<>();
                admin.list().forEach(f -> before.put(f.key(), f));
                String key = "f" + random.nextInt(FLAGS);
                Flag old = before.get(key);
                Flag changed = old == null || random.nextInt(4) > 0 ? randomFlag(random, key) : null;
                Map<String, Flag> after = new TreeMap<>(before);
                if (changed == null) {
                    after.remove(key);
                } else {
                    after.put(key, changed);
                }
                List<String> existing = FlagValidator.problemsInSet(before, Map.of());
                List<String> introduced = FlagValidator.problemsInSet(after, Map.of()).stream()
                        .filter(p -> !existing.contains(p))
                        .toList();
                String at = "seed " + seed + ", write " + write + ": " + (changed == null ? "delete " : "put ") + key;
                try {
                    if (changed == null) {
                        admin.delete(key);
                    } else if (old == null) {
                        admin.create(changed);
                    } else {
                        admin.update(changed.toBuilder().version(old.version()).build());
                    }
                    assertThat(introduced).as(at + " was accepted").isEmpty();
                } catch (InvalidFlagException e) {
                    refused++;
                    assertThat(e.problems()).as(at + " was refused").containsExactlyInAnyOrderElementsOf(introduced);
                }
            }
            assertThat(refused)
                    .as("seed " + seed + ": some writes refused, some accepted")
                    .isBetween(1, writes - 1);
            assertThat(index(keys)).as("seed " + seed).isEqualTo(truth(admin.list()));
        }
    }

    @Test
    void aNamespaceWrittenWithoutTheIndexIsReadWholeOnceAndIndexed() {
        RedisOptions options = options();
        KeySchema keys = KeySchema.of(options.namespace());
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(flag("base", List.of("a", "b")));
            admin.create(withPrerequisites(flag("first", List.of("a")), Prerequisite.of("base", "a")));
            admin.create(withPrerequisites(flag("second", List.of("a")), Prerequisite.of("base", "b")));
            redis.execute("DEL", keys.dependents()); // as a namespace written before the index existed

            assertThatThrownBy(() -> admin.delete("base"))
                    .isInstanceOf(InvalidFlagException.class)
                    .hasMessageContaining("first")
                    .hasMessageContaining("second");
            assertThat(redis.execute("EXISTS", keys.dependents()))
                    .as("a refused write builds nothing")
                    .isEqualTo(0L);

            admin.delete("first");
            assertThat(index(keys)).isEqualTo(truth(admin.list()));
            assertThat(index(keys)).contains("base|second", KeySchema.DEPENDENTS_COMPLETE);

            assertThatThrownBy(() -> admin.update(flag("base", List.of("a"))))
                    .isInstanceOf(InvalidFlagException.class)
                    .hasMessageContaining("flag second: prerequisites[0].variant: flag 'base' has no variant 'b'");
        }
    }

    @Test
    void aSeedStartsTheIndexAfresh() {
        RedisOptions options = options();
        KeySchema keys = KeySchema.of(options.namespace());
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(flag("old", List.of("a")));
            admin.create(withPrerequisites(flag("older", List.of("a")), Prerequisite.of("old", "a")));
            List<Flag> document = List.of(
                    flag("root", List.of("a", "b")),
                    withPrerequisites(flag("leaf", List.of("a")), Prerequisite.of("root", "b")));
            admin.forceReseed(new FlagDocument(document, List.<Segment>of()), WriteOptions.defaults());
            assertThat(index(keys)).containsExactlyInAnyOrder("root|leaf", KeySchema.DEPENDENTS_COMPLETE);
        }
    }

    private static RedisOptions options() {
        return RedisOptions.builder()
                .uri(redis.uri())
                .namespace(redis.uniqueNamespace())
                .build();
    }

    private static Set<String> index(KeySchema keys) {
        Set<String> out = new TreeSet<>();
        ((List<?>) redis.execute("ZRANGE", keys.dependents(), "0", "-1")).forEach(m -> out.add((String) m));
        return out;
    }

    /** The index the stored flags call for. */
    private static Set<String> truth(List<Flag> flags) {
        Set<String> out = new TreeSet<>(Set.of(KeySchema.DEPENDENTS_COMPLETE));
        flags.forEach(
                f -> f.prerequisites().forEach(p -> out.add(p.flagKey() + KeySchema.DEPENDENT_SEPARATOR + f.key())));
        return out;
    }

    private static Flag randomFlag(SplittableRandom random, String key) {
        List<String> variants = new ArrayList<>(VARIANTS);
        Collections.shuffle(variants, new java.util.Random(random.nextLong()));
        Flag flag = flag(key, variants.subList(0, 1 + random.nextInt(VARIANTS.size())));
        Map<String, Prerequisite> prerequisites = new TreeMap<>(); // never itself, never one twice
        for (int n = random.nextInt(3); n > 0; n--) {
            String on = "f" + random.nextInt(FLAGS);
            if (!on.equals(key)) {
                prerequisites.put(on, Prerequisite.of(on, VARIANTS.get(random.nextInt(VARIANTS.size()))));
            }
        }
        return flag.toBuilder()
                .prerequisites(List.copyOf(prerequisites.values()))
                .build();
    }

    private static Flag flag(String key, List<String> variants) {
        Flag.Builder builder = Flag.builder(key, FlagType.STRING);
        variants.forEach(v -> builder.variant(v, v));
        return builder.offVariant(variants.get(0))
                .fallthrough(Serve.variant(variants.get(0)))
                .build();
    }

    private static Flag withPrerequisites(Flag flag, Prerequisite... prerequisites) {
        return flag.toBuilder().prerequisites(List.of(prerequisites)).build();
    }
}
