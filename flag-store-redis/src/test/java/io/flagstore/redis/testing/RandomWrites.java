package io.flagstore.redis.testing;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.VersionConflictException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagGenerator;
import io.flagstore.core.model.Segment;
import io.flagstore.redis.Batch;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.WriteOptions;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded random admin writes over a small key space ({@code f0..}, {@code s0..}): creates, updates,
 * deletes, segment writes and deletes, and batches of those, for tests that race reads against
 * writes. Not thread-safe: one per writing thread.
 */
public final class RandomWrites {
    private static final Instant FAR_FUTURE = Instant.parse("2200-01-01T00:00:00Z");

    private final FlagAdmin admin;
    private final SplittableRandom random;
    private final FlagGenerator generator;
    private final int flagKeys;
    private final int segmentKeys;

    /** Writes through {@code admin} to {@code flagKeys} flag keys and {@code segmentKeys} segment keys. */
    public RandomWrites(FlagAdmin admin, long seed, int flagKeys, int segmentKeys) {
        this.admin = admin;
        this.random = new SplittableRandom(seed);
        this.generator = new FlagGenerator(seed);
        this.flagKeys = flagKeys;
        this.segmentKeys = segmentKeys;
    }

    /** One random write; {@code false} when Redis refused it (a create of a present key, a delete of a missing one). */
    public boolean next() {
        String flag = "f" + random.nextInt(flagKeys);
        String segment = "s" + random.nextInt(segmentKeys);
        try {
            switch (random.nextInt(10)) {
                case 0, 1, 2 -> admin.create(rekey(generator.flag(), flag));
                case 3, 4 -> admin.apply(
                        Batch.builder().put(rekey(generator.flag(), flag)).build(), WriteOptions.defaults());
                case 5 -> admin.delete(flag);
                case 6 -> admin.putSegment(rekey(generator.segment(), segment), WriteOptions.defaults());
                case 7 -> admin.deleteSegment(segment, WriteOptions.defaults());
                default -> admin.apply(batch(), WriteOptions.defaults());
            }
            return true;
        } catch (VersionConflictException | FlagNotFoundException | InvalidFlagException refused) {
            return false;
        }
    }

    /** Two to five puts and deletes of flags and segments, each key at most once. */
    private Batch batch() {
        Batch.Builder batch = Batch.builder();
        Set<String> used = new HashSet<>();
        for (int n = 2 + random.nextInt(4); n > 0; n--) {
            boolean isSegment = random.nextInt(4) == 0;
            String key = isSegment ? "s" + random.nextInt(segmentKeys) : "f" + random.nextInt(flagKeys);
            if (!used.add(key)) {
                continue;
            }
            boolean delete = random.nextInt(4) == 0;
            if (isSegment) {
                if (delete) {
                    batch.deleteSegment(key);
                } else {
                    batch.putSegment(rekey(generator.segment(), key));
                }
            } else if (delete) {
                batch.delete(key);
            } else {
                batch.put(rekey(generator.flag(), key));
            }
        }
        return batch.build();
    }

    /** {@code f} under {@code key}; a generated expiry moves far out so it follows any creation time. */
    public static Flag rekey(Flag f, String key) {
        return new Flag(
                key,
                f.type(),
                f.enabled(),
                f.variants(),
                f.offVariant(),
                f.targets(),
                f.rules(),
                f.fallthrough(),
                f.prerequisites(),
                f.salt(),
                f.description(),
                f.owner(),
                f.tags(),
                f.temporary(),
                f.expiresAt() == null ? null : FAR_FUTURE,
                f.createdAt(),
                f.updatedAt(),
                f.updatedBy(),
                f.version());
    }

    /** {@code s} under {@code key}. */
    public static Segment rekey(Segment s, String key) {
        return new Segment(key, s.description(), s.included(), s.excluded(), s.rules(), s.updatedAt(), s.version());
    }
}
