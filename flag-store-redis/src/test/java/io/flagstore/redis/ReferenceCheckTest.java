package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagType;
import io.flagstore.core.model.FlagValidator;
import io.flagstore.core.model.Prerequisite;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Segment;
import io.flagstore.core.model.Serve;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * The partial reference check against the whole-set check, over random namespaces and writes
 * (seeded; the seed is in every failure message): the same problems, without reading the whole
 * namespace, also with stale entries in the dependents index.
 */
class ReferenceCheckTest {
    private static final long BASE_SEED = 0x2EF5_C4ECL;
    private static final List<String> VARIANTS = List.of("a", "b", "c");
    private static final List<String> SEGMENTS = List.of("s0", "s1", "s2", "s3"); // s3 is never stored

    @RepeatedTest(400)
    void readsOnlyWhatTheWriteCanBreakAndFindsWhatTheWholeCheckFinds(RepetitionInfo repetition) {
        long seed = BASE_SEED + repetition.getCurrentRepetition();
        Case c = Case.random(new Random(seed));
        String context = "seed " + seed + ", " + c;

        MapStore indexed = new MapStore(c.flags, true, new Random(seed));
        ReferenceCheck.Verdict partial = new ReferenceCheck(indexed).check(c.changes, c.current());

        assertThat(indexed.wholeReads).as(context).isZero();
        assertThat(partial.readWhole()).as(context).isFalse();
        assertThat(new TreeSet<>(partial.introduced())).as(context).isEqualTo(c.expected());
    }

    @RepeatedTest(100)
    void withoutACompleteIndexTheWholeNamespaceIsReadWhenDependentsMatter(RepetitionInfo repetition) {
        long seed = BASE_SEED - repetition.getCurrentRepetition();
        Case c = Case.random(new Random(seed));
        String context = "seed " + seed + ", " + c;

        MapStore unindexed = new MapStore(c.flags, false, new Random(seed));
        ReferenceCheck.Verdict verdict = new ReferenceCheck(unindexed).check(c.changes, c.current());

        assertThat(verdict.readWhole()).as(context).isEqualTo(unindexed.wholeReads > 0);
        assertThat(new TreeSet<>(verdict.introduced())).as(context).isEqualTo(c.expected());
    }

    /** The generator covers both verdicts and both kinds of reads, so the property above means something. */
    @Test
    void randomCasesIncludeRefusalsAcceptancesAndWholeReads() {
        int refused = 0;
        int accepted = 0;
        int wholeReads = 0;
        for (int i = 1; i <= 200; i++) {
            Case c = Case.random(new Random(BASE_SEED - i));
            if (c.expected().isEmpty()) {
                accepted++;
            } else {
                refused++;
            }
            MapStore unindexed = new MapStore(c.flags, false, new Random(i));
            if (new ReferenceCheck(unindexed).check(c.changes, c.current()).readWhole()) {
                wholeReads++;
            }
        }
        assertThat(refused).isGreaterThan(30);
        assertThat(accepted).isGreaterThan(30);
        assertThat(wholeReads).isGreaterThan(30);
    }

    @Test
    void switchesReadNothing() {
        Flag flag = flag("f0", List.of("a", "b"), List.of(Prerequisite.of("f1", "a")), null);
        MapStore store = new MapStore(Map.of("f0", flag), true, new Random(1));
        ReferenceCheck.Verdict verdict = new ReferenceCheck(store)
                .check(
                        List.of(Change.putFlag(flag.toBuilder().enabled(true).build(), null, false)),
                        List.of(new StoreReader.Stored(true, 1, flag, null)));
        assertThat(verdict.introduced()).isEmpty();
        assertThat(store.keysRead).isZero();
    }

    /** A namespace of random flags (with broken references and cycles of its own) and a random write. */
    private record Case(Map<String, Flag> flags, List<Change> changes) {
        static Case random(Random random) {
            int size = 3 + random.nextInt(20);
            Map<String, Flag> flags = new TreeMap<>();
            for (int i = 0; i < size; i++) {
                flags.put("f" + i, randomFlag(random, "f" + i, size));
            }
            List<Change> changes = new ArrayList<>();
            Set<String> used = new HashSet<>();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                String key = "f" + random.nextInt(size + 2); // sometimes a new flag
                if (!used.add(key)) {
                    continue;
                }
                Flag old = flags.get(key);
                if (old != null && random.nextInt(3) == 0) {
                    changes.add(Change.deleteFlag(key, null, false));
                } else if (old != null && random.nextBoolean()) {
                    changes.add(Change.putFlag(mutate(random, old, size), null, false));
                } else {
                    changes.add(Change.putFlag(randomFlag(random, key, size), null, false));
                }
            }
            return new Case(flags, changes);
        }

        List<StoreReader.Stored> current() {
            return changes.stream()
                    .map(c -> flags.containsKey(c.key())
                            ? new StoreReader.Stored(true, 1, flags.get(c.key()), null)
                            : new StoreReader.Stored(false, 0, null, null))
                    .toList();
        }

        /** What the whole-set check over the namespace before and after the write reports. */
        Set<String> expected() {
            Map<String, Flag> after = new TreeMap<>(flags);
            changes.forEach(c -> {
                if (c.isDelete()) {
                    after.remove(c.key());
                } else {
                    after.put(c.key(), c.flag());
                }
            });
            Set<String> out = new TreeSet<>(FlagValidator.problemsInSet(after, segments()));
            out.removeAll(FlagValidator.problemsInSet(flags, segments()));
            return out;
        }

        @Override
        public String toString() {
            return flags.size() + " flags, changes "
                    + changes.stream()
                            .map(c -> (c.isDelete() ? "-" : "+") + c.key())
                            .toList();
        }
    }

    private static Flag randomFlag(Random random, String key, int size) {
        List<String> variants = new ArrayList<>(VARIANTS);
        Collections.shuffle(variants, random);
        variants = variants.subList(0, 1 + random.nextInt(VARIANTS.size()));
        List<Prerequisite> prerequisites = new ArrayList<>();
        for (int n = random.nextInt(3); n > 0; n--) {
            prerequisites.add(randomPrerequisite(random, size));
        }
        String segment = random.nextInt(3) == 0 ? SEGMENTS.get(random.nextInt(SEGMENTS.size())) : null;
        return flag(key, variants, prerequisites, segment);
    }

    private static Prerequisite randomPrerequisite(Random random, int size) {
        return Prerequisite.of("f" + random.nextInt(size + 1), VARIANTS.get(random.nextInt(VARIANTS.size())));
    }

    private static Flag mutate(Random random, Flag old, int size) {
        List<String> variants = new ArrayList<>(old.variants().keySet());
        List<Prerequisite> prerequisites = new ArrayList<>(old.prerequisites());
        String segment = old.rules().isEmpty()
                ? null
                : old.rules().get(0).clauses().get(0).values().get(0).textValue();
        switch (random.nextInt(4)) {
            case 0 -> Collections.shuffle(variants, random);
            case 1 -> {
                String v = VARIANTS.get(random.nextInt(VARIANTS.size()));
                if (!variants.remove(v)) {
                    variants.add(v);
                } else if (variants.isEmpty()) {
                    variants.add(VARIANTS.get((VARIANTS.indexOf(v) + 1) % VARIANTS.size()));
                }
            }
            case 2 -> {
                if (!prerequisites.isEmpty() && random.nextBoolean()) {
                    prerequisites.remove(random.nextInt(prerequisites.size()));
                } else {
                    prerequisites.add(randomPrerequisite(random, size));
                }
            }
            default -> segment = random.nextBoolean() ? null : SEGMENTS.get(random.nextInt(SEGMENTS.size()));
        }
        return flag(old.key(), variants, prerequisites, segment);
    }

    private static Flag flag(String key, List<String> variants, List<Prerequisite> prerequisites, String segment) {
        Flag.Builder builder = Flag.builder(key, FlagType.STRING);
        variants.forEach(v -> builder.variant(v, v));
        builder.offVariant(variants.get(0)).fallthrough(Serve.variant(variants.get(0)));
        builder.prerequisites(prerequisites);
        if (segment != null) {
            builder.rule(Rule.of("r", Serve.variant(variants.get(0)), Clause.inSegment(segment)));
        }
        return builder.build();
    }

    private static Map<String, Segment> segments() {
        Map<String, Segment> out = new TreeMap<>();
        SEGMENTS.subList(0, 3).forEach(s -> out.put(s, Segment.of(s, "u")));
        return out;
    }

    /**
     * A namespace in memory with a dependents index that names every real dependent and, like an
     * index that outlived a hand edit, a few flags that are not.
     */
    private static final class MapStore implements ReferenceCheck.Store {
        private final Map<String, Flag> flags;
        private final boolean indexComplete;
        private final Random random;
        int wholeReads;
        int keysRead;

        MapStore(Map<String, Flag> flags, boolean indexComplete, Random random) {
            this.flags = flags;
            this.indexComplete = indexComplete;
            this.random = random;
        }

        @Override
        public Map<String, Flag> indexedFlags(Collection<String> keys) {
            keysRead += keys.size();
            Map<String, Flag> out = new TreeMap<>();
            keys.stream().filter(flags::containsKey).forEach(k -> out.put(k, flags.get(k)));
            return out;
        }

        @Override
        public Map<String, Segment> indexedSegments(Collection<String> keys) {
            Map<String, Segment> out = new TreeMap<>(segments());
            out.keySet().retainAll(keys);
            return out;
        }

        @Override
        public Optional<Set<String>> dependents(Collection<String> keys) {
            if (!indexComplete) {
                return Optional.empty();
            }
            Set<String> out = new TreeSet<>();
            flags.values().forEach(f -> f.prerequisites().stream()
                    .filter(p -> keys.contains(p.flagKey()))
                    .forEach(p -> out.add(f.key())));
            List<String> all = new ArrayList<>(flags.keySet());
            for (int stale = random.nextInt(3); stale > 0; stale--) {
                out.add(all.get(random.nextInt(all.size())));
            }
            return Optional.of(out);
        }

        @Override
        public StoreReader.Snapshot all() {
            wholeReads++;
            return new StoreReader.Snapshot(flags, segments(), List.of());
        }
    }
}
