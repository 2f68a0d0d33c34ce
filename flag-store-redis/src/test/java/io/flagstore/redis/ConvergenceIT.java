package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flagstore.core.FlagClient;
import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.VersionConflictException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagGenerator;
import io.flagstore.redis.testing.RandomWrites;
import io.flagstore.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Convergence under faults: ten clients, 2,000 random writes from four concurrent admins, while subscriber
 * connections are killed and Redis (AOF, fsync always) is restarted again and again; at the end
 * every client holds exactly what Redis holds, within the reconcile interval. Set {@code
 * -Dflagstore.seed=N} to replay a run.
 */
class ConvergenceIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension().withAof();

    private static final int CLIENTS = 10;
    private static final int ADMINS = 4;
    private static final int WRITES = 2_000;
    private static final int KEYS = 60;
    private static final int WRITES_PER_FAULT = 40;
    private static final Duration RECONCILE = Duration.ofSeconds(1);

    private final long seed = Long.getLong("flagstore.seed", System.nanoTime());
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicInteger kills = new AtomicInteger();

    @Test
    void everyClientConvergesToRedisDespiteKilledSubscriptionsAndRestarts() throws Exception {
        assumeTrue(redis.server().isRestartable(), "needs a Redis the test can restart");
        String namespace = redis.uniqueNamespace();
        RedisOptions options =
                RedisOptions.builder().uri(redis.uri()).namespace(namespace).build();
        List<FlagClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(ADMINS + 1);
        try {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(FlagClient.builder()
                        .source(RedisFlagSource.builder()
                                .options(options)
                                .serviceName("svc" + i)
                                .reconcileInterval(RECONCILE)
                                .build())
                        .build());
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            Future<?> chaos = pool.submit(() -> chaos(writing, new SplittableRandom(seed)));
            List<Future<?>> admins = new ArrayList<>();
            for (int a = 0; a < ADMINS; a++) {
                long adminSeed = seed + 1 + a;
                admins.add(pool.submit(() -> {
                    write(options, adminSeed, WRITES / ADMINS);
                    return null;
                }));
            }
            for (Future<?> admin : admins) {
                admin.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            chaos.get(30, TimeUnit.SECONDS);

            String run = "seed " + seed + " (" + kills + " subscriber kills, " + restarts + " restarts)";
            long version = RedisTruth.version(redis, namespace);
            Map<String, Flag> truth = RedisTruth.flags(redis, namespace);
            assertThat(version).as(run).isGreaterThan(WRITES / 2);
            // within the reconcile interval, plus the time a reconnect after the last restart may take
            await("every client equals Redis, " + run)
                    .atMost(RECONCILE.multipliedBy(3))
                    .untilAsserted(() -> {
                        for (int i = 0; i < CLIENTS; i++) {
                            FlagClient client = clients.get(i);
                            assertThat(client.snapshot().version())
                                    .as("client %d version, %s", i, run)
                                    .isEqualTo(version);
                            assertThat(client.snapshot().flags())
                                    .as("client %d flags, %s", i, run)
                                    .isEqualTo(truth);
                        }
                    });
        } finally {
            pool.shutdownNow();
            clients.forEach(FlagClient::close);
        }
    }

    /** Every {@value #WRITES_PER_FAULT} writes: kill the subscribers (4 in 5) or restart Redis. */
    private void chaos(AtomicBoolean writing, SplittableRandom random) {
        int next = WRITES_PER_FAULT;
        while (writing.get()) {
            if (completed.get() < next) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                continue;
            }
            next += WRITES_PER_FAULT;
            if (random.nextInt(5) == 0) {
                redis.restart();
                restarts.incrementAndGet();
            } else {
                redis.killPubSubClients();
                kills.incrementAndGet();
            }
        }
    }

    /** {@code count} random writes on a pool of keys; a write refused for a reason is still a write. */
    private void write(RedisOptions options, long adminSeed, int count) {
        SplittableRandom random = new SplittableRandom(adminSeed);
        FlagGenerator generator = new FlagGenerator(adminSeed);
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            for (int i = 0; i < count; i++) {
                String key = "k" + random.nextInt(KEYS);
                int op = random.nextInt(10);
                untilAnswered(() -> {
                    switch (op) {
                        case 0, 1 -> admin.create(RandomWrites.rekey(generator.flag(), key));
                        case 2, 3 -> admin.modify(
                                key, current -> RandomWrites.rekey(generator.flag(), key), WriteOptions.defaults());
                        case 4, 5 -> admin.enable(key);
                        case 6 -> admin.disable(key);
                        case 7 -> admin.delete(key);
                        default -> {
                            Batch.Builder batch = Batch.builder();
                            List<String> used = new ArrayList<>();
                            for (int n = 2 + random.nextInt(3); n > 0; n--) {
                                String k = "k" + random.nextInt(KEYS);
                                if (!used.contains(k)) {
                                    used.add(k);
                                    batch.put(RandomWrites.rekey(generator.flag(), k));
                                }
                            }
                            admin.apply(batch.build(), WriteOptions.defaults());
                        }
                    }
                });
                completed.incrementAndGet();
            }
        }
    }

    /**
     * Runs a write until Redis gives an answer. A write whose reply was lost with a restart may or
     * may not have happened: the test compares with what Redis holds, never with what it sent.
     */
    private static void untilAnswered(Runnable write) {
        while (true) {
            try {
                write.run();
                return;
            } catch (VersionConflictException | FlagNotFoundException | InvalidFlagException refused) {
                return; // a definite answer
            } catch (StoreUnavailableException down) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // Redis is restarting
            }
        }
    }
}
