package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.VersionConflictException;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.DocumentedAcl;
import io.flagstore.redis.testing.RedisClusterExtension;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Admin, sources and evaluation against a real three-master Redis Cluster, with
 * sharded pub/sub, namespaces on different masters, the documented service role, and a failover of
 * the namespace's master while writers write: every acknowledged write is there afterwards and
 * every client converges to Redis.
 */
class ClusterIT {
    @RegisterExtension
    static RedisClusterExtension cluster = new RedisClusterExtension();

    /** Long enough that only pushes and resubscriptions can explain a client being up to date. */
    private static final Duration NEVER = Duration.ofHours(1);

    private static final Duration CONVERGED = Duration.ofSeconds(5);
    private static final EvaluationContext USER = EvaluationContext.of("u1");

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private RedisOptions options(String uri, String namespace) {
        return RedisOptions.builder().uri(uri).namespace(namespace).build();
    }

    private FlagAdmin admin(RedisOptions options) {
        FlagAdmin admin = FlagAdmin.connect(options);
        closeables.add(admin);
        return admin;
    }

    private FlagClient client(RedisOptions options, String service, Duration reconcile) {
        FlagClient client = FlagClient.builder()
                .source(RedisFlagSource.builder()
                        .options(options)
                        .serviceName(service)
                        .reconcileInterval(reconcile)
                        .loadPageSize(2) // loads and reconnects read in pages, routed to the slot's master
                        .build())
                .build();
        closeables.add(client);
        return client;
    }

    private static RedisTruth.Commands masterOf(String namespace) {
        String key = KeySchema.of(namespace).version();
        return command -> cluster.executeOnMasterOf(key, command);
    }

    private static void assertConverged(List<FlagClient> clients, String namespace, Duration within) {
        await("every client equals Redis in " + namespace).atMost(within).untilAsserted(() -> {
            long version = RedisTruth.version(masterOf(namespace), namespace);
            Map<String, Flag> truth = RedisTruth.flags(masterOf(namespace), namespace);
            for (FlagClient client : clients) {
                assertThat(client.snapshot().version()).isEqualTo(version);
                assertThat(client.snapshot().flags()).isEqualTo(truth);
            }
        });
    }

    /** Two namespaces whose slots belong to different masters. */
    private static List<String> namespacesOnTwoMasters() {
        String first = cluster.uniqueNamespace();
        int firstMaster = cluster.masterPortOf(KeySchema.of(first).version());
        while (true) {
            String second = cluster.uniqueNamespace();
            if (cluster.masterPortOf(KeySchema.of(second).version()) != firstMaster) {
                return List.of(first, second);
            }
        }
    }

    @Test
    void writesBatchesAndCompareAndSetReachEverySourceByShardedPushesOnEveryMaster() {
        for (String namespace : namespacesOnTwoMasters()) {
            RedisOptions options = options(cluster.uri(), namespace);
            FlagAdmin admin = admin(options);
            admin.create(Flag.killSwitch("anchor"));
            List<FlagClient> clients = List.of(client(options, "a", NEVER), client(options, "b", NEVER));

            WriteResult created = admin.create(Flag.killSwitch("payments-api"));
            assertThat(created.receivers())
                    .as("SPUBLISH reaches both shard subscribers")
                    .isEqualTo(2);
            admin.disable("payments-api");
            admin.apply(
                    Batch.builder()
                            .put(Flag.killSwitch("checkout"))
                            .put(Flag.killSwitch("search"))
                            .delete("anchor")
                            .build(),
                    WriteOptions.defaults());
            Flag stale = admin.get("checkout").orElseThrow();
            admin.enable("checkout");
            assertThatThrownBy(() -> admin.update(stale.withEnabled(false)))
                    .isInstanceOf(VersionConflictException.class);

            assertConverged(clients, namespace, CONVERGED);
            assertThat(clients.get(0).isEnabled("payments-api", USER)).isFalse();
            assertThat(clients.get(1).isEnabled("search", USER)).isTrue();
            NamespaceInfo info = admin.info();
            assertThat(info.version()).isEqualTo(5);
            assertThat(info.subscribers())
                    .as("PUBSUB SHARDNUMSUB on the slot's master")
                    .isEqualTo(2);
        }
    }

    @Test
    void aPlainUriOnAClusterNodeSaysToUseTheClusterScheme() {
        String namespace = cluster.uniqueNamespace();
        int owner = cluster.masterPortOf(KeySchema.of(namespace).version());
        int other = cluster.masterPorts().stream()
                .filter(p -> p != owner)
                .findFirst()
                .orElseThrow();
        FlagAdmin admin = admin(options("redis://127.0.0.1:" + other, namespace));

        assertThatThrownBy(() -> admin.create(Flag.killSwitch("x")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("is a cluster node")
                .hasMessageContaining("use redis-cluster://");
    }

    @Test
    void theDocumentedServiceRoleReadsAndReceivesPushesButCannotWrite() {
        String namespace = cluster.uniqueNamespace();
        admin(options(cluster.uri(), namespace)).create(Flag.killSwitch("payments-api"));
        String serviceUri =
                DocumentedAcl.create(cluster, DocumentedAcl.Role.SERVICE, namespace, "svc-" + namespace, "s3cret");
        RedisOptions service = options(serviceUri, namespace);
        FlagClient client = client(service, "svc", NEVER);
        assertThat(client.isEnabled("payments-api", USER)).isTrue();

        admin(options(cluster.uri(), namespace)).disable("payments-api");
        await().atMost(CONVERGED).until(() -> !client.isEnabled("payments-api", USER));
        FlagAdmin refused = admin(service);
        assertThatThrownBy(() -> refused.enable("payments-api"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("admin role");
        assertThat(refused.get("payments-api").orElseThrow().enabled()).isFalse();
        assertThat(refused.instances()).extracting(ServiceInstance::service).containsExactly("svc");
    }

    @Test
    void aCoordinatedFailoverDuringWritesLosesNoAcknowledgedWriteAndEveryClientConverges() throws Exception {
        failoverDuringWrites(namespace -> {
            cluster.failover(KeySchema.of(namespace).version());
            return "CLUSTER FAILOVER";
        });
    }

    @Test
    void aCrashedMasterReplacedByItsReplicaLosesNoReplicaAcknowledgedWriteAndEveryClientConverges() throws Exception {
        failoverDuringWrites(namespace -> {
            int killed = cluster.killMasterOf(KeySchema.of(namespace).version());
            return "SIGKILL of the master on " + killed + " and automatic promotion";
        });
    }

    /**
     * Three writers create new flags (each key once) while {@code failover} moves the namespace's
     * master; a client evaluates all along. Afterwards every acknowledged key (confirmed by a replica:
     * {@code replicaAcks(1, ...)}) is in Redis, and every client, including one that only gets pushes
     * (no periodic check), holds exactly what Redis holds.
     */
    private void failoverDuringWrites(Function<String, String> failover) throws Exception {
        String namespace = cluster.uniqueNamespace();
        RedisOptions options = options(cluster.uri(), namespace);
        admin(options).create(Flag.killSwitch("anchor"));
        List<FlagClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(client(options, "svc" + i, i == 0 ? NEVER : Duration.ofSeconds(1)));
        }
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger failures = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong wrongEvaluations = new AtomicLong();
        AtomicLong evaluations = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            // a write counts as acknowledged once a replica holds it too: a crash loses only what it had not
            RedisOptions writerOptions =
                    options.toBuilder().replicaAcks(1, Duration.ofMillis(500)).build();
            for (int w = 0; w < 3; w++) {
                int writer = w;
                FlagAdmin admin = admin(writerOptions);
                writers.add(pool.submit(() -> {
                    for (int i = 0; writing.get(); i++) {
                        String key = "w" + writer + "-" + i;
                        try {
                            admin.create(Flag.killSwitch(key));
                            acknowledged.add(key);
                        } catch (StoreUnavailableException e) {
                            failures.incrementAndGet(); // unacknowledged: may or may not have happened
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                        }
                    }
                }));
            }
            Future<?> evaluator = pool.submit(() -> {
                while (writing.get()) {
                    evaluations.incrementAndGet();
                    if (!clients.get(1).isEnabled("anchor", USER)) {
                        wrongEvaluations.incrementAndGet();
                    }
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50)); // leave the cores to the cluster
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() >= 100);
            int before = acknowledged.size();
            long started = System.nanoTime();
            String how = failover.apply(namespace);
            long failoverMillis = (System.nanoTime() - started) / 1_000_000;
            await("writes succeed again after " + how)
                    .atMost(Duration.ofSeconds(15))
                    .until(() -> acknowledged.size() >= before + 100);
            writing.set(false);
            for (Future<?> writer : writers) {
                writer.get(10, TimeUnit.SECONDS);
            }
            evaluator.get(10, TimeUnit.SECONDS);

            long converging = System.nanoTime();
            Map<String, Flag> truth = RedisTruth.flags(masterOf(namespace), namespace);
            assertThat(truth.keySet())
                    .as("every acknowledged write survives " + how)
                    .containsAll(acknowledged);
            assertConverged(clients, namespace, CONVERGED);
            System.out.printf(
                    "%s: failover %d ms, %d acknowledged writes, %d failed, clients converged %d ms after the"
                            + " last write, %d evaluations (%d wrong)%n",
                    how,
                    failoverMillis,
                    acknowledged.size(),
                    failures.get(),
                    (System.nanoTime() - converging) / 1_000_000,
                    evaluations.get(),
                    wrongEvaluations.get());
            assertThat(evaluations.get()).isPositive();
            assertThat(wrongEvaluations.get())
                    .as("the clients kept serving during " + how)
                    .isZero();
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
    }
}
