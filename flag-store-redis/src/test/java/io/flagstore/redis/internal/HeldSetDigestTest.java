package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.model.Flag;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/** The digest presence reports, kept up to date incrementally, always equals one computed afresh. */
class HeldSetDigestTest {
    private static final String EPOCH = "e1";

    @RepeatedTest(30)
    void theIncrementalDigestEqualsARecomputationAfterAnyDeliveries(RepetitionInfo repetition) {
        long seed = 0xD1_6E57_0000L + repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        HeldSet held = new HeldSet();
        int keys = repetition.getCurrentRepetition() % 2 == 0 ? 12 : 300; // also whole sets of many changes
        Map<String, Flag> expected = new HashMap<>();
        long version = 0;
        for (int step = 0; step < 300; step++) {
            version++;
            Instant at = Instant.ofEpochMilli(1_700_000_000_000L + version);
            if (random.nextInt(10) == 0) {
                // a whole set: some definitions kept as the very objects held, others replaced or gone
                Map<String, Flag> next = new HashMap<>();
                for (Map.Entry<String, Flag> e : expected.entrySet()) {
                    int fate = random.nextInt(3);
                    if (fate == 0) {
                        next.put(e.getKey(), e.getValue());
                    } else if (fate == 1) {
                        next.put(e.getKey(), flag(e.getKey(), random, version, at));
                    }
                }
                for (int i = random.nextInt(1, keys / 4); i > 0; i--) {
                    String added = "k" + random.nextInt(keys);
                    next.putIfAbsent(added, flag(added, random, version, at));
                }
                held.accept(new HeldSet.Init(new FlagData(version, next, Map.of()), EPOCH), 0);
                expected = next;
            } else {
                List<Flag> written = new ArrayList<>();
                List<String> deleted = new ArrayList<>();
                for (int i = random.nextInt(1, 4); i > 0; i--) {
                    String key = "k" + random.nextInt(keys);
                    if (random.nextInt(4) == 0) {
                        if (expected.remove(key) != null && !deleted.contains(key)) {
                            deleted.add(key);
                        }
                    } else if (!deleted.contains(key)
                            && written.stream().noneMatch(f -> f.key().equals(key))) {
                        Flag flag = flag(key, random, version, at);
                        written.add(flag);
                        expected.put(key, flag);
                    }
                }
                held.accept(
                        new HeldSet.Update(new FlagUpdate(version, written, deleted, List.of(), List.of(), at), EPOCH),
                        0);
            }
            if (random.nextInt(3) == 0) {
                assertThat(held.digestHex())
                        .as("seed %d, step %d", seed, step)
                        .isEqualTo(FleetDigest.hex(FleetDigest.of(expected.values())));
            }
        }
        assertThat(held.digestHex()).as("seed %d", seed).isEqualTo(FleetDigest.hex(FleetDigest.of(expected.values())));
    }

    private static Flag flag(String key, SplittableRandom random, long version, Instant at) {
        return Flag.killSwitch(key).withEnabled(random.nextBoolean()).withVersion(version, at, "test");
    }
}
