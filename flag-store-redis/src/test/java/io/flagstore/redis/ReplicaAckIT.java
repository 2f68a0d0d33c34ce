package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.Segment;
import io.flagstore.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/operations.md, "Replica acknowledgement": with {@code replicaAcks(n, t)} every write path of
 * {@link FlagAdmin} returns only once {@code n} replicas hold the write, and says clearly when they do
 * not, the write then still being applied on the master.
 */
class ReplicaAckIT {
    @RegisterExtension
    static RedisServerExtension master = new RedisServerExtension();

    @RegisterExtension
    static RedisServerExtension replica = new RedisServerExtension();

    @RegisterExtension
    static RedisServerExtension alone = new RedisServerExtension();

    @BeforeAll
    static void replicate() {
        master.execute("CONFIG", "SET", "repl-diskless-sync-delay", "0"); // sync now, not in 5 s
        replica.execute("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(replica.execute("INFO", "replication"))
                .contains("master_link_status:up"));
        // after a diskless sync the master holds the write stream back until the replica's first ACK (sent
        // once a second): wait until a write arrives, or the first WAIT of a test may time out
        master.execute("SET", "replication-started", "1");
        await().atMost(Duration.ofSeconds(10)).until(() -> "1".equals(replica.execute("GET", "replication-started")));
    }

    private static RedisOptions options(RedisServerExtension redis, String namespace, int acks) {
        return RedisOptions.builder()
                .uri(redis.uri())
                .namespace(namespace)
                .replicaAcks(acks, Duration.ofMillis(300))
                .build();
    }

    @Test
    void everyWritePathReturnsOnlyOnceTheReplicaHoldsIt() {
        String ns = master.uniqueNamespace();
        try (FlagAdmin admin = FlagAdmin.connect(options(master, ns, 1))) {
            List<Supplier<WriteResult>> writes = List.of(
                    () -> admin.reseed(
                            new FlagDocument(List.of(Flag.killSwitch("seeded")), List.of()), WriteOptions.defaults()),
                    () -> admin.create(Flag.killSwitch("a")),
                    () -> admin.disable("a"),
                    () -> admin.update(admin.get("a").orElseThrow().withEnabled(true)),
                    () -> admin.apply(
                            Batch.builder()
                                    .put(Flag.killSwitch("b"))
                                    .put(Flag.killSwitch("c"))
                                    .build(),
                            WriteOptions.defaults()),
                    () -> admin.putSegment(
                            new Segment("beta", null, List.of("u1"), List.of(), List.of(), null, 0),
                            WriteOptions.defaults()),
                    () -> admin.deleteSegment("beta", WriteOptions.defaults()),
                    () -> admin.delete("c"));
            for (int i = 0; i < writes.size(); i++) {
                long version = writes.get(i).get().version();
                // no waiting here: the replica must already hold it when the write returns
                assertThat(RedisTruth.version(replica::execute, ns))
                        .as("write %d", i)
                        .isEqualTo(version);
            }
            FlagScheduler scheduler = new FlagScheduler(admin);
            Instant due = Instant.now().plusSeconds(60);
            scheduler.schedule(ScheduledChange.disable("b", due), WriteOptions.defaults());
            long scheduled = scheduler.runDue(due).get(0).appliedVersion(); // run as if it were due
            assertThat(RedisTruth.version(replica::execute, ns))
                    .as("scheduled write")
                    .isEqualTo(scheduled);
            assertThat(RedisTruth.flags(replica::execute, ns).keySet()).containsExactlyInAnyOrder("seeded", "a", "b");
        }
    }

    @Test
    void withoutReplicasAWriteIsAppliedButThrowsNamingVersionAndCounts() {
        String ns = alone.uniqueNamespace();
        try (FlagAdmin admin = FlagAdmin.connect(options(alone, ns, 1))) {
            assertThatThrownBy(() -> admin.create(Flag.killSwitch("k")))
                    .isInstanceOfSatisfying(ReplicationException.class, e -> {
                        assertThat(e.version()).isEqualTo(1);
                        assertThat(e.acknowledged()).isZero();
                        assertThat(e.required()).isEqualTo(1);
                    })
                    .hasMessageContaining("applied on the Redis master at " + alone.uri())
                    .hasMessageContaining("at version 1 (and published)")
                    .hasMessageContaining("only 0 of 1 replicas confirmed it within 300 ms")
                    .hasMessageContaining("may be lost if the master fails now");
            assertThat(admin.get("k")).isPresent();
            assertThat(RedisTruth.version(alone, ns)).isEqualTo(1);
        }
    }

    @Test
    void fewerReplicasThanRequiredConfirmIsReportedWithTheCount() {
        String ns = master.uniqueNamespace();
        try (FlagAdmin admin = FlagAdmin.connect(options(master, ns, 2))) {
            assertThatThrownBy(() -> admin.create(Flag.killSwitch("k")))
                    .isInstanceOfSatisfying(ReplicationException.class, e -> {
                        assertThat(e.acknowledged()).isEqualTo(1);
                        assertThat(e.required()).isEqualTo(2);
                    })
                    .hasMessageContaining("only 1 of 2 replicas");
            assertThat(RedisTruth.flags(replica::execute, ns).keySet()).isEqualTo(Set.of("k"));
        }
    }

    @Test
    void aWriteToAReplicaIsRefusedClearlyAndWritesNothing() {
        String ns = master.uniqueNamespace();
        try (FlagAdmin admin = FlagAdmin.connect(options(replica, ns, 0))) {
            assertThatThrownBy(() -> admin.create(Flag.killSwitch("k")))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("the node is a read-only replica, not the master")
                    .hasMessageContaining("nothing was written");
        }
        assertThat(RedisTruth.version(master, ns)).isZero();
        assertThat(RedisTruth.version(replica, ns)).isZero();
    }

    @Test
    void offByDefaultWritesDoNotWait() {
        String ns = alone.uniqueNamespace();
        try (FlagAdmin admin = FlagAdmin.connect(options(alone, ns, 0))) {
            assertThat(admin.create(Flag.killSwitch("k")).version()).isEqualTo(1);
        }
    }
}
