package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.FlagStoreException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.testing.RedisServerExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/operations.md, "Persistence and backups": with {@code appendonly yes} and {@code appendfsync
 * always}, every write {@link FlagAdmin} acknowledged is still there after Redis is killed
 * (SIGKILL, no shutdown) and restarted, with its version, audit entry and namespace version.
 */
class DurabilityIT {
    private static final long SEED = 0x5EED_D0CL;

    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension().withAof();

    private static RedisOptions options(String namespace) {
        return RedisOptions.builder().uri(redis.uri()).namespace(namespace).build();
    }

    @Test
    void everyAcknowledgedWriteSurvivesACrashWithItsVersion() {
        String namespace = redis.uniqueNamespace();
        SplittableRandom random = new SplittableRandom(SEED);
        List<WriteResult> acknowledged = new ArrayList<>();
        Map<String, Flag> before;
        try (FlagAdmin admin = FlagAdmin.connect(options(namespace))) {
            for (int i = 0; i < 150; i++) {
                acknowledged.add(randomWrite(admin, random, i));
            }
            before = byKey(admin.list());
        }
        redis.crash();
        redis.start();

        try (FlagAdmin admin = FlagAdmin.connect(options(namespace))) {
            String seed = "seed " + SEED;
            assertThat(admin.info().version()).as(seed).isEqualTo(acknowledged.size());
            assertThat(byKey(admin.list())).as(seed).isEqualTo(before);
            List<AuditEntry> history = admin.history(1000);
            assertThat(history).as(seed).hasSize(acknowledged.size());
            for (int i = 0; i < acknowledged.size(); i++) {
                WriteResult w = acknowledged.get(i);
                AuditEntry entry = history.get(history.size() - 1 - i);
                assertThat(entry.version()).as(seed + ", write " + i).isEqualTo(w.version());
                assertThat(entry.keys()).as(seed + ", write " + i).isEqualTo(w.keys());
            }
        }
    }

    @Test
    void writesAcknowledgedWhileRedisIsKilledAreAllThere() throws Exception {
        String namespace = redis.uniqueNamespace();
        Map<Long, String> acknowledged = new ConcurrentHashMap<>(); // version -> key
        CountDownLatch enough = new CountDownLatch(200);
        ExecutorService writers = Executors.newFixedThreadPool(3);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            running.add(writers.submit(() -> {
                try (FlagAdmin admin = FlagAdmin.connect(options(namespace))) {
                    for (int i = 0; ; i++) {
                        String key = "w" + writer + "-" + (i % 20);
                        WriteResult r = admin.get(key).isPresent()
                                ? admin.setRollout(key, rollout(i % 101), WriteOptions.defaults())
                                : admin.create(Flag.killSwitch(key));
                        acknowledged.put(r.version(), key);
                        enough.countDown();
                    }
                } catch (FlagStoreException e) {
                    return; // Redis went away mid-stream: this write was not acknowledged
                }
            }));
        }
        assertThat(enough.await(30, TimeUnit.SECONDS)).isTrue();
        redis.crash();
        for (Future<?> f : running) {
            f.get(30, TimeUnit.SECONDS);
        }
        writers.shutdown();
        redis.start();

        try (FlagAdmin admin = FlagAdmin.connect(options(namespace))) {
            long newest = acknowledged.keySet().stream()
                    .mapToLong(Long::longValue)
                    .max()
                    .orElseThrow();
            assertThat(admin.info().version()).isGreaterThanOrEqualTo(newest);
            Map<Long, AuditEntry> audit =
                    admin.history(100_000).stream().collect(Collectors.toMap(AuditEntry::version, Function.identity()));
            acknowledged.forEach((version, key) -> assertThat(audit.get(version))
                    .as("audit entry of acknowledged version " + version)
                    .isNotNull()
                    .extracting(AuditEntry::keys)
                    .isEqualTo(List.of(key)));
            Map<String, Long> lastAcknowledged = new LinkedHashMap<>();
            acknowledged.forEach((version, key) -> lastAcknowledged.merge(key, version, Math::max));
            lastAcknowledged.forEach((key, version) ->
                    assertThat(admin.get(key).orElseThrow().version()).as(key).isGreaterThanOrEqualTo(version));
        }
    }

    /** A random mutation of a 12-key namespace; every kind of write the admin has. */
    private static WriteResult randomWrite(FlagAdmin admin, SplittableRandom random, int i) {
        String key = "f" + random.nextInt(12);
        WriteOptions opts = WriteOptions.defaults().withReason("write " + i);
        if (admin.get(key).isEmpty()) {
            return admin.create(
                    Flag.booleanFlag(key).enabled(random.nextBoolean()).build(), opts);
        }
        return switch (random.nextInt(5)) {
            case 0 -> admin.disable(key, opts);
            case 1 -> admin.enable(key, opts);
            case 2 -> admin.setRollout(key, rollout(random.nextInt(101)), opts);
            case 3 -> admin.setTargets(key, "off", List.of("user-" + random.nextInt(100)), opts);
            default -> admin.delete(key, opts);
        };
    }

    private static List<WeightedVariant> rollout(int onPercent) {
        return List.of(new WeightedVariant("on", onPercent), new WeightedVariant("off", 100 - onPercent));
    }

    private static Map<String, Flag> byKey(List<Flag> flags) {
        return flags.stream().collect(Collectors.toMap(Flag::key, Function.identity()));
    }
}
