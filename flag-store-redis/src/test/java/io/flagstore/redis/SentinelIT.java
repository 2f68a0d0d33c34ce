package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RedisSentinelExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Admin and clients through {@code redis-sentinel://} against a master, a replica and
 * three sentinels. While concurrent writers with {@code replicaAcks(1)} write, the master fails over
 * (coordinated, or killed with SIGKILL): every write that returned success is on the new master,
 * every failed write says why, clients serve throughout and all converge to the new master.
 */
class SentinelIT {
    @RegisterExtension
    static RedisSentinelExtension sentinel = new RedisSentinelExtension();

    private static final int WRITERS = 3;
    private static final int CLIENTS = 4;
    private static final Duration RECONCILE = Duration.ofSeconds(1);

    private final List<FlagClient> clients = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final AtomicBoolean running = new AtomicBoolean(true);

    // what the writers saw
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLongArray lastAcknowledgedCounter = new AtomicLongArray(WRITERS);
    private final AtomicInteger appliedUnconfirmed = new AtomicInteger();
    private final AtomicInteger applied = new AtomicInteger();
    private final List<Exception> failures = new ArrayList<>();
    private final AtomicInteger evaluations = new AtomicInteger();

    @AfterEach
    void stop() {
        running.set(false);
        pool.shutdownNow();
        clients.forEach(FlagClient::close);
    }

    private static RedisOptions options(String namespace, int replicaAcks) {
        RedisOptions.Builder builder = RedisOptions.builder()
                .uri(sentinel.uri())
                .namespace(namespace)
                .commandTimeout(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(1));
        return (replicaAcks == 0 ? builder : builder.replicaAcks(replicaAcks, Duration.ofMillis(500))).build();
    }

    @Test
    void aKilledMasterLosesNoAcknowledgedWriteAndEveryClientConverges() throws Exception {
        String ns = "killed";
        Traffic traffic = startTraffic(ns);

        long killedAt = System.nanoTime();
        int oldMaster = sentinel.killMaster();
        int newMaster = sentinel.awaitNewMaster(oldMaster);
        long failoverMs = elapsedMs(killedAt);
        // the new master has no replica yet: writes land but are not confirmed
        int before = applied.get();
        await().atMost(Duration.ofSeconds(15)).until(() -> applied.get() >= before + 1);
        long firstWriteMs = elapsedMs(killedAt);
        await().atMost(Duration.ofSeconds(15)).until(() -> applied.get() >= before + WRITERS);
        sentinel.restart(oldMaster); // comes back empty and becomes the new master's replica
        long writesEndedAt = stopWritersAfterMoreConfirmations(traffic);

        RedisTruth.Commands master = command -> sentinel.execute(newMaster, command);
        Map<String, Flag> truth = RedisTruth.flags(master, ns);
        assertThat(truth.keySet()).as("acknowledged creates on the new master").containsAll(acknowledged);
        for (int w = 0; w < WRITERS; w++) {
            assertThat(Long.parseLong(truth.get("counter-" + w).description()))
                    .as("writer %d's counter", w)
                    .isGreaterThanOrEqualTo(lastAcknowledgedCounter.get(w));
        }
        assertClearFailures();
        long version = RedisTruth.version(master, ns);
        awaitConverged(version, truth, oldMaster, newMaster);
        long convergedMs = elapsedMs(writesEndedAt);
        for (Future<?> f : traffic.evaluators()) {
            f.get(5, TimeUnit.SECONDS); // rethrows a failed evaluation
        }
        assertThat(evaluations.get()).isPositive();
        System.out.printf(
                "SentinelIT kill -9: failover %d ms, first write on the new master %d ms after the kill, %d writes"
                        + " confirmed, %d applied unconfirmed, %d failed; clients converged %d ms after the last write"
                        + " (%d ms after the kill), %d evaluations%n",
                failoverMs,
                firstWriteMs,
                acknowledged.size(),
                appliedUnconfirmed.get(),
                failures.size(),
                convergedMs,
                elapsedMs(killedAt),
                evaluations.get());
    }

    @Test
    void aCoordinatedFailoverLosesNothingAndClientsFollowTheNewMaster() throws Exception {
        String ns = "coordinated";
        Traffic traffic = startTraffic(ns);

        long startedAt = System.nanoTime();
        int oldMaster = sentinel.masterPort();
        int newMaster = sentinel.failover();
        long failoverMs = elapsedMs(startedAt);
        long writesEndedAt = stopWritersAfterMoreConfirmations(traffic);

        assertThat(String.valueOf(sentinel.execute(oldMaster, "INFO", "replication")))
                .as("the demoted master")
                .contains("role:slave");
        // every source reads from the new master, none stays on the demoted one (now a replica)
        String channel = KeySchema.of(ns).changes();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(sentinel.execute(newMaster, "PUBSUB", "NUMSUB", channel))
                    .isEqualTo(List.of(channel, (long) CLIENTS));
            assertThat(sentinel.execute(oldMaster, "PUBSUB", "NUMSUB", channel)).isEqualTo(List.of(channel, 0L));
        });
        RedisTruth.Commands master = command -> sentinel.execute(newMaster, command);
        Map<String, Flag> truth = RedisTruth.flags(master, ns);
        assertThat(truth.keySet()).containsAll(acknowledged);
        assertClearFailures();
        awaitConverged(RedisTruth.version(master, ns), truth, oldMaster, newMaster);
        for (Future<?> f : traffic.evaluators()) {
            f.get(5, TimeUnit.SECONDS);
        }
        System.out.printf(
                "SentinelIT SENTINEL FAILOVER: failover %d ms, %d writes confirmed, %d failed; clients converged"
                        + " %d ms after the last write%n",
                failoverMs, acknowledged.size(), failures.size(), elapsedMs(writesEndedAt));
    }

    private record Traffic(List<Future<?>> writers, List<Future<?>> evaluators) {}

    /** Seeds {@code ns}, starts the clients, writers and evaluators, and waits for 30 confirmed writes. */
    private Traffic startTraffic(String ns) {
        seedAndStartClients(ns);
        Traffic traffic = new Traffic(startWriters(ns), startEvaluators());
        await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() >= 30);
        return traffic;
    }

    /** Lets every writer get two more writes confirmed, then stops them; returns when they ended. */
    private long stopWritersAfterMoreConfirmations(Traffic traffic) throws Exception {
        int confirmedBefore = acknowledged.size();
        await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() >= confirmedBefore + 2 * WRITERS);
        running.set(false);
        for (Future<?> f : traffic.writers()) {
            f.get(10, TimeUnit.SECONDS);
        }
        return System.nanoTime();
    }

    private void seedAndStartClients(String ns) {
        try (FlagAdmin admin = FlagAdmin.connect(options(ns, 1))) {
            for (int w = 0; w < WRITERS; w++) {
                admin.create(Flag.killSwitch("counter-" + w).toBuilder()
                        .description("0")
                        .build());
            }
        }
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(FlagClient.builder()
                    .source(RedisFlagSource.builder()
                            .options(options(ns, 0))
                            .serviceName("svc" + i)
                            .reconcileInterval(RECONCILE)
                            .build())
                    .build());
        }
    }

    /**
     * Each writer creates a new key per write and counts up the description of its own counter flag,
     * remembering what was confirmed; a failed write is recorded and tried anew after a short pause.
     */
    private List<Future<?>> startWriters(String ns) {
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                try (FlagAdmin admin = FlagAdmin.connect(options(ns, 1))) {
                    for (long n = 1; running.get(); n++) {
                        String key = "w" + writer + "-" + n;
                        long count = n;
                        attempt(() -> admin.create(Flag.killSwitch(key)), () -> acknowledged.add(key));
                        attempt(
                                () -> admin.modify(
                                        "counter-" + writer,
                                        f -> f.toBuilder()
                                                .description(Long.toString(count))
                                                .build(),
                                        WriteOptions.defaults()),
                                () -> lastAcknowledgedCounter.set(writer, count));
                    }
                }
                return null;
            }));
        }
        return writers;
    }

    private void attempt(Runnable write, Runnable confirmed) {
        try {
            write.run();
            applied.incrementAndGet();
            confirmed.run();
        } catch (ReplicationException e) {
            applied.incrementAndGet();
            appliedUnconfirmed.incrementAndGet();
        } catch (RuntimeException e) {
            synchronized (failures) {
                failures.add(e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // pace retries while Redis is away
        }
    }

    /** Every client evaluates a seeded flag in a loop: it must keep answering from its snapshot. */
    private List<Future<?>> startEvaluators() {
        List<Future<?>> evaluators = new ArrayList<>();
        for (FlagClient client : clients) {
            evaluators.add(pool.submit(() -> {
                EvaluationContext user = EvaluationContext.of("user-1");
                while (running.get()) {
                    assertThat(client.isEnabled("counter-0", user)).isTrue();
                    evaluations.incrementAndGet();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                return null;
            }));
        }
        return evaluators;
    }

    private void assertClearFailures() {
        synchronized (failures) {
            for (Exception e : failures) {
                // Redis away; or, after a failover lost writes the clients had already applied, refused
                // until they follow the new master: either way nothing was written, and it says why
                assertThat(e).isInstanceOfAny(StoreUnavailableException.class, VersionRegressionException.class);
                assertThat(e.getMessage()).contains("Redis");
            }
        }
    }

    private void awaitConverged(long version, Map<String, Flag> truth, int... dataPorts) {
        try {
            await("every client equals the new master")
                    .atMost(RECONCILE.multipliedBy(5))
                    .untilAsserted(() -> {
                        for (int i = 0; i < clients.size(); i++) {
                            assertThat(clients.get(i).snapshot().version())
                                    .as("client %d version", i)
                                    .isEqualTo(version);
                            assertThat(clients.get(i).snapshot().flags())
                                    .as("client %d flags", i)
                                    .isEqualTo(truth);
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + whereClientsStand(dataPorts), e);
        }
    }

    /** Each client's version and health, and the connections each data node serves (which node a client reads). */
    private String whereClientsStand(int... dataPorts) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < clients.size(); i++) {
            out.append("client ")
                    .append(i)
                    .append(": version ")
                    .append(clients.get(i).snapshot().version())
                    .append(", ")
                    .append(clients.get(i).health())
                    .append('\n');
        }
        for (int port : dataPorts) {
            out.append("node ")
                    .append(port)
                    .append(' ')
                    .append(sentinel.execute(port, "INFO", "replication"))
                    .append("\nclients:\n")
                    .append(sentinel.execute(port, "CLIENT", "LIST"))
                    .append('\n');
        }
        return out.toString();
    }

    private static long elapsedMs(long sinceNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    }
}
