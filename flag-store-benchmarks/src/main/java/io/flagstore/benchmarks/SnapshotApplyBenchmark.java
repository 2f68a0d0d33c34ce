package io.flagstore.benchmarks;

import io.flagstore.core.internal.CompiledSnapshot;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagUpdate;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one pushed write costs a client's snapshot: {@link CompiledSnapshot#apply}
 * of a single-flag update to a snapshot of {@code flags} {@link ScaleFlags} flags; each call
 * writes the next flag of a rotation of 256 (kill switches, rules, rollouts, segment users and
 * prerequisite flags alike) at the next version. The snapshot is replaced by the result, as the
 * client does.
 *
 * <p>Run: {@code java -jar flag-store-benchmarks/target/benchmarks.jar SnapshotApplyBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SnapshotApplyBenchmark {
    private static final int ROTATION = 256;

    /** Flags in the snapshot. */
    @Param({"10000"})
    public int flags;

    private CompiledSnapshot snapshot;
    private Flag[][] edits;
    private long version;
    private int next;

    @Setup
    public void setUp() {
        Map<String, Flag> all = new HashMap<>();
        ScaleFlags.flags(flags)
                .forEach(f -> all.put(f.key(), f.toBuilder().version(1).build()));
        Map<String, Segment> segments = new HashMap<>();
        ScaleFlags.segments().forEach(s -> segments.put(s.key(), s.withVersion(1, null)));
        version = 1;
        snapshot = CompiledSnapshot.of(new FlagData(version, all, segments));
        // two edits per rotated flag, alternated, so every write changes the definition
        edits = new Flag[ROTATION][2];
        for (int r = 0; r < ROTATION; r++) {
            int i = (int) ((long) r * flags / ROTATION) + r % 7;
            edits[r][0] = ScaleFlags.flag(i, 1);
            edits[r][1] = ScaleFlags.flag(i, 2);
        }
    }

    /** One single-flag write applied to the snapshot. */
    @Benchmark
    public CompiledSnapshot applyOneFlag() {
        int n = next++;
        Flag edit = edits[n % ROTATION][(n / ROTATION) & 1];
        version++;
        snapshot =
                snapshot.apply(new FlagUpdate(version, List.of(edit), List.of(), List.of(), List.of(), Instant.EPOCH));
        return snapshot;
    }
}
