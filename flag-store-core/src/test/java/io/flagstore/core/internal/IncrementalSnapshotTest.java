package io.flagstore.core.internal;

import static io.flagstore.core.internal.TestFlags.bool;
import static io.flagstore.core.internal.TestFlags.clause;
import static io.flagstore.core.internal.TestFlags.ctx;
import static io.flagstore.core.internal.TestFlags.inSegment;
import static io.flagstore.core.internal.TestFlags.prerequisite;
import static io.flagstore.core.internal.TestFlags.rule;
import static io.flagstore.core.internal.TestFlags.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Segment;
import io.flagstore.core.model.Serve;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CompiledSnapshot#apply} is incremental (it recompiles only what a write reaches through
 * prerequisites and segments): a random sequence of writes, replays and stale messages over a
 * small key space (so prerequisites, segment references and cycles collide often) must leave a
 * snapshot equal to one compiled from scratch from the flags and segments a reference model of the
 * documented version rules says are held: same definitions, problems and version, and the same
 * evaluation detail for every key and context.
 */
class IncrementalSnapshotTest {
    private static final int STEPS = 60;
    private static final String[] FLAGS = {"a", "b", "c", "d", "e", "f", "g", "h"};
    private static final String[] SEGMENTS = {"s1", "s2", "s3"};
    private static final List<EvaluationContext> CONTEXTS =
            List.of(ctx("u1", "plan", "pro"), ctx("u2", "plan", "free"), ctx("u3"), ctx("u4", "plan", "enterprise"));
    private static final Instant WRITTEN = Instant.parse("2026-11-25T12:00:00Z");

    static LongStream seeds() {
        return TestFlags.seeds(150);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void incrementalUpdatesEqualASnapshotBuiltFromScratch(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Reference reference = new Reference();
        long version = 1 + random.nextInt(3);
        Map<String, Flag> initialFlags = new HashMap<>();
        Map<String, Segment> initialSegments = new HashMap<>();
        for (String key : FLAGS) {
            if (random.nextBoolean()) {
                initialFlags.put(key, randomFlag(random, key, 1));
            }
        }
        for (String key : SEGMENTS) {
            if (random.nextBoolean()) {
                initialSegments.put(key, randomSegment(random, key, 1));
            }
        }
        CompiledSnapshot snapshot = CompiledSnapshot.of(new FlagData(version, initialFlags, initialSegments));
        reference.load(version, initialFlags, initialSegments);
        List<FlagUpdate> sent = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            FlagUpdate update;
            if (!sent.isEmpty() && random.nextInt(8) == 0) {
                update = sent.get(random.nextInt(sent.size())); // a replayed or late message
            } else {
                version += 1 + (random.nextInt(6) == 0 ? random.nextInt(3) : 0); // sometimes a gap
                update = randomUpdate(random, version);
                sent.add(update);
            }
            snapshot = snapshot.apply(update);
            reference.apply(update);
            assertEquivalent(snapshot, reference, "seed " + seed + ", step " + step + ", " + update);
        }
    }

    private static void assertEquivalent(CompiledSnapshot snapshot, Reference reference, String where) {
        CompiledSnapshot scratch =
                CompiledSnapshot.of(new FlagData(reference.version, reference.flags, reference.segments));
        assertThat(snapshot.version()).as(where).isEqualTo(scratch.version());
        assertThat(snapshot.flags()).as(where).isEqualTo(scratch.flags());
        assertThat(snapshot.segments()).as(where).isEqualTo(scratch.segments());
        assertThat(snapshot.problems()).as(where).isEqualTo(scratch.problems());
        for (String key : FLAGS) {
            for (EvaluationContext context : CONTEXTS) {
                assertThat(snapshot.evaluate(key, context).detail())
                        .as("%s: %s for %s", where, key, context.key())
                        .isEqualTo(scratch.evaluate(key, context).detail());
            }
        }
    }

    private static FlagUpdate randomUpdate(SplittableRandom random, long version) {
        List<Flag> flags = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        List<Segment> segments = new ArrayList<>();
        List<String> deletedSegments = new ArrayList<>();
        int items = 1 + (random.nextInt(4) == 0 ? random.nextInt(4) : 0);
        for (int i = 0; i < items; i++) {
            int op = random.nextInt(10);
            if (op < 6) {
                // version 0: the update's version is taken; otherwise an explicit (possibly older) one
                long itemVersion = random.nextInt(3) == 0 ? 0 : version - random.nextInt(2);
                flags.add(randomFlag(random, pick(random, FLAGS), itemVersion));
            } else if (op < 7) {
                deleted.add(pick(random, FLAGS));
            } else if (op < 9) {
                long itemVersion = random.nextBoolean() ? 0 : version;
                segments.add(randomSegment(random, pick(random, SEGMENTS), itemVersion));
            } else {
                deletedSegments.add(pick(random, SEGMENTS));
            }
        }
        return new FlagUpdate(version, flags, deleted, segments, deletedSegments, WRITTEN.plusSeconds(version));
    }

    private static Flag randomFlag(SplittableRandom random, String key, long version) {
        Flag.Builder b = bool(key).version(version).enabled(random.nextInt(5) != 0);
        switch (random.nextInt(6)) {
            case 0 -> b.prerequisite(prerequisite(pick(random, FLAGS), random.nextBoolean() ? Flag.ON : Flag.OFF));
            case 1 -> b.rule(rule("seg", Flag.OFF, inSegment(pick(random, SEGMENTS))));
            case 2 -> b.prerequisite(prerequisite(pick(random, FLAGS), Flag.ON))
                    .rule(rule("seg", Flag.OFF, inSegment(pick(random, SEGMENTS), pick(random, SEGMENTS))));
            case 3 -> b.target(Flag.OFF, List.of("u" + (1 + random.nextInt(4))));
            case 4 -> b.fallthrough(Serve.variant("missing")); // malformed
            default -> {}
        }
        return b.build();
    }

    private static Segment randomSegment(SplittableRandom random, String key, long version) {
        List<List<io.flagstore.core.model.Clause>> rules =
                switch (random.nextInt(4)) {
                    case 0 -> List.of(List.of(clause("plan", Operator.IN, "pro")));
                    case 1 -> List.of(List.of(inSegment("s1"))); // malformed: segments cannot nest
                    default -> List.of();
                };
        Segment s = segment(key, List.of("u" + (1 + random.nextInt(4))), List.of(), rules);
        return version == 0 ? s : s.withVersion(version, WRITTEN);
    }

    private static String pick(SplittableRandom random, String[] keys) {
        return keys[random.nextInt(keys.length)];
    }

    /**
     * The documented version rules, kept naively: an item is applied when its version exceeds the
     * key's held version (its item's, its tombstone's and the last full load's, whichever is
     * highest); items with version 0 take the update's version and time.
     */
    private static final class Reference {
        final Map<String, Flag> flags = new HashMap<>();
        final Map<String, Segment> segments = new HashMap<>();
        final Map<String, Long> flagTombstones = new HashMap<>();
        final Map<String, Long> segmentTombstones = new HashMap<>();
        long loaded;
        long version;

        void load(long at, Map<String, Flag> newFlags, Map<String, Segment> newSegments) {
            loaded = at;
            version = at;
            flags.putAll(newFlags);
            segments.putAll(newSegments);
        }

        void apply(FlagUpdate update) {
            long v = update.version();
            for (Segment s : update.segments()) {
                long itemVersion = s.version() != 0 ? s.version() : v;
                if (itemVersion
                        > held(
                                segments.get(s.key()) == null
                                        ? null
                                        : segments.get(s.key()).version(),
                                segmentTombstones.get(s.key()))) {
                    segments.put(
                            s.key(),
                            s.version() != 0
                                    ? s
                                    : s.withVersion(v, s.updatedAt() != null ? s.updatedAt() : update.writtenAt()));
                    segmentTombstones.remove(s.key());
                }
            }
            for (String key : update.deletedSegments()) {
                if (v
                        > held(
                                segments.get(key) == null
                                        ? null
                                        : segments.get(key).version(),
                                segmentTombstones.get(key))) {
                    segments.remove(key);
                    segmentTombstones.put(key, v);
                }
            }
            for (Flag f : update.flags()) {
                long itemVersion = f.version() != 0 ? f.version() : v;
                if (itemVersion
                        > held(
                                flags.get(f.key()) == null
                                        ? null
                                        : flags.get(f.key()).version(),
                                flagTombstones.get(f.key()))) {
                    flags.put(
                            f.key(),
                            f.version() != 0
                                    ? f
                                    : f.toBuilder()
                                            .version(v)
                                            .updatedAt(f.updatedAt() != null ? f.updatedAt() : update.writtenAt())
                                            .build());
                    flagTombstones.remove(f.key());
                }
            }
            for (String key : update.deletedFlags()) {
                if (v > held(flags.get(key) == null ? null : flags.get(key).version(), flagTombstones.get(key))) {
                    flags.remove(key);
                    flagTombstones.put(key, v);
                }
            }
            version = Math.max(version, v);
        }

        private long held(Long itemVersion, Long tombstone) {
            return Math.max(
                    loaded,
                    Math.max(
                            itemVersion == null ? Long.MIN_VALUE : itemVersion,
                            tombstone == null ? Long.MIN_VALUE : tombstone));
        }
    }
}
