package io.flagstore.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Prerequisite;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Serve;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisOptions;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What one {@link FlagAdmin} call costs end to end (validation, the write script with its audit
 * entry and publish, the round trips), one call at a time, over a {@link ScaleFlags} namespace:
 * simple switches ({@code enable}/{@code disable} of a kill switch) and the writes that check
 * references: a rule change, a prerequisite change, a variant change (each an {@code update}) and a
 * delete.
 *
 * <pre>
 * java -cp flag-store-benchmarks/target/benchmarks.jar io.flagstore.benchmarks.WriteBenchmark \
 *     [--redis redis://127.0.0.1:6379] [--flags 10000] [--switches 5000] [--rule-writes 50]
 * </pre>
 */
public final class WriteBenchmark {
    /** A flag of the set with a prerequisite (on the kill switch {@code flag-37}). */
    private static final String PREREQUISITE_FLAG = "flag-97";

    private WriteBenchmark() {}

    public static void main(String[] args) throws Exception {
        int flags = Integer.parseInt(RedisBenchmarks.option(args, "--flags", "10000"));
        int switches = Integer.parseInt(RedisBenchmarks.option(args, "--switches", "5000"));
        int ruleWrites = Integer.parseInt(RedisBenchmarks.option(args, "--rule-writes", "50"));
        RedisBenchmarks.withRedis(args, url -> {
            RedisOptions options = RedisOptions.builder()
                    .uri(url)
                    .namespace("bench-write-" + System.currentTimeMillis())
                    .build();
            try (FlagAdmin admin = FlagAdmin.connect(options)) {
                ScaleFlags.seed(admin, flags);
                System.out.printf(
                        Locale.ROOT,
                        "%d flags, %d cores, Java %s%n",
                        flags,
                        Runtime.getRuntime().availableProcessors(),
                        Runtime.version());
                switches(admin, switches);
                ruleWrites(admin, ruleWrites);
                prerequisiteWrites(admin, ruleWrites);
                variantWrites(admin, ruleWrites);
                deletes(admin, ruleWrites);
            }
        });
    }

    /** Alternating enable/disable of one kill switch; the first tenth warms up and is not counted. */
    private static void switches(FlagAdmin admin, int count) {
        String key = ScaleFlags.key(1);
        Histogram micros = new Histogram(3);
        int warmup = count / 10;
        for (int i = 0; i < warmup + count; i++) {
            long start = System.nanoTime();
            if (i % 2 == 0) {
                admin.disable(key);
            } else {
                admin.enable(key);
            }
            if (i >= warmup) {
                micros.recordValue((System.nanoTime() - start) / 1000);
            }
        }
        RedisBenchmarks.printLatency("enable/disable", micros);
    }

    /** Alternately replaces and restores the rule of {@link ScaleFlags#TARGETED}; first tenth warms up. */
    private static void ruleWrites(FlagAdmin admin, int count) {
        Flag original = admin.get(ScaleFlags.TARGETED).orElseThrow().toBuilder()
                .version(0)
                .build();
        Rule rule = original.rules().get(0);
        Flag changed = original.toBuilder()
                .rules(List.of(new Rule(rule.id(), rule.description(), rule.clauses(), Serve.variant(Flag.ON))))
                .build();
        alternate(admin, "rule change (update)", count, original, changed);
    }

    /** Alternately moves the prerequisite of {@link #PREREQUISITE_FLAG} to another kill switch and back. */
    private static void prerequisiteWrites(FlagAdmin admin, int count) {
        Flag original = admin.get(PREREQUISITE_FLAG).orElseThrow().toBuilder()
                .version(0)
                .build();
        Flag changed = original.toBuilder()
                .prerequisites(List.of(new Prerequisite(ScaleFlags.key(38), Flag.ON)))
                .build();
        alternate(admin, "prerequisite change (update)", count, original, changed);
    }

    /** Alternately adds a variant to a kill switch that a prerequisite names, and removes it. */
    private static void variantWrites(FlagAdmin admin, int count) {
        Flag original = admin.get(ScaleFlags.key(37)).orElseThrow().toBuilder()
                .version(0)
                .build();
        Flag changed = original.toBuilder()
                .variant("maybe", JsonNodeFactory.instance.booleanNode(true))
                .build();
        alternate(admin, "variant change (update)", count, original, changed);
    }

    private static void alternate(FlagAdmin admin, String what, int count, Flag original, Flag changed) {
        Histogram micros = new Histogram(3);
        int warmup = Math.max(1, count / 10);
        for (int i = 0; i < warmup + count; i++) {
            long start = System.nanoTime();
            admin.update(i % 2 == 0 ? changed : original);
            if (i >= warmup) {
                micros.recordValue((System.nanoTime() - start) / 1000);
            }
        }
        RedisBenchmarks.printLatency(what, micros);
    }

    /** Deletes of kill switches nothing names (each created just before, not timed); first tenth warms up. */
    private static void deletes(FlagAdmin admin, int count) {
        Histogram micros = new Histogram(3);
        int warmup = Math.max(1, count / 10);
        for (int i = 0; i < warmup + count; i++) {
            String key = "bench-delete-" + i;
            admin.create(Flag.killSwitch(key));
            long start = System.nanoTime();
            admin.delete(key);
            if (i >= warmup) {
                micros.recordValue((System.nanoTime() - start) / 1000);
            }
        }
        RedisBenchmarks.printLatency("delete", micros);
    }
}
