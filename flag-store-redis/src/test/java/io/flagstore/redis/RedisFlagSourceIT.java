package io.flagstore.redis;

import static io.flagstore.redis.SourceFixture.NEVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.internal.BackupFile;
import io.flagstore.redis.internal.FleetDigest;
import io.flagstore.redis.internal.PresenceJson;
import io.flagstore.redis.testing.DocumentedAcl;
import io.flagstore.redis.testing.RecordingSink;
import io.flagstore.redis.testing.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** RedisFlagSource against a real redis-server without persistence. */
class RedisFlagSourceIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private SourceFixture fx;
    private RawWriter writer;

    @BeforeEach
    void namespace() {
        fx = new SourceFixture(redis);
        writer = fx.raw;
    }

    @AfterEach
    void closeSources() throws Exception {
        fx.close();
    }

    private RecordingSink start(Duration reconcileInterval) {
        return fx.start(reconcileInterval);
    }

    private static Flag flag(String key, boolean enabled) {
        return Flag.killSwitch(key).withEnabled(enabled);
    }

    private double count(String meter) {
        return fx.count(meter);
    }

    private double errors(String kind) {
        return fx.errors(kind);
    }

    private void awaitConverged(RecordingSink sink) {
        fx.awaitConverged(sink);
    }

    @Test
    void loadsTheNamespaceThenAppliesPushedChanges() {
        FlagAdmin admin = fx.admin();
        admin.create(flag("a", true));
        admin.create(flag("b", false));
        RecordingSink sink = start(NEVER);
        await().until(() -> sink.state() == SourceState.VALID);
        assertThat(sink.flags()).containsOnlyKeys("a", "b");
        assertThat(sink.version()).isEqualTo(2);

        long v = admin.enable("b").version();

        await().until(() -> sink.version() == v);
        assertThat(sink.flag("b").enabled()).isTrue();
        assertThat(sink.flag("b").version()).isEqualTo(v);
        assertThat(sink.inits()).isEqualTo(1);
        assertThat(count("flagstore.source.updates")).isEqualTo(1);
        assertThat(lagCount("push")).isEqualTo(1);
        assertThat(lagCount("catchup") + lagCount("reload")).isZero();
        awaitConverged(sink); // the pushed definition equals the stored one, field by field
    }

    private double lagCount(String path) {
        return fx.meters
                .get("flagstore.source.propagation.lag")
                .tag("path", path)
                .timer()
                .count();
    }

    @Test
    void emptyNamespaceLoadsAsAnEmptySet() {
        RecordingSink sink = start(NEVER);
        await().until(() -> sink.state() == SourceState.VALID);
        assertThat(sink.version()).isZero();
        assertThat(sink.flags()).isEmpty();

        writer.put(flag("first", true), true);

        awaitConverged(sink);
    }

    @RepeatedTest(3)
    void writesRacingTheStartAreNeverLost() throws Exception {
        FlagAdmin admin = fx.admin();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writes = new Thread(() -> {
            for (int i = 0; !stop.get() && i < 2_000; i++) {
                admin.apply(
                        Batch.builder().put(flag("f" + (i % 50), i % 2 == 0)).build(), WriteOptions.defaults());
            }
        });
        writes.start();
        RecordingSink sink = start(NEVER); // only the load, pushes and gap catch-ups can converge it
        await().until(() -> sink.version() > 0);
        stop.set(true);
        writes.join();
        admin.create(flag("last", true));

        awaitConverged(sink);
        assertThat(count("flagstore.source.full.reloads")).isEqualTo(1);
    }

    @Test
    void aGapInVersionsTriggersACatchUp() {
        writer.put(flag("a", true), true);
        RecordingSink sink = start(NEVER);
        await().until(() -> sink.state() == SourceState.VALID);
        double catchUps = count("flagstore.source.catchups");

        writer.put(flag("lost", true), false); // its message never comes
        long v = writer.put(flag("a", false), true); // arrives with a gap

        await().until(() -> sink.version() == v);
        assertThat(sink.flag("lost")).isNotNull();
        assertThat(sink.flag("a").enabled()).isFalse();
        assertThat(count("flagstore.source.catchups")).isGreaterThan(catchUps);
        awaitConverged(sink);
    }

    @Test
    void aSilentlyLostMessageIsRepairedWithinTheReconcileInterval() {
        RecordingSink sink = start(Duration.ofMillis(200));
        await().until(() -> sink.state() == SourceState.VALID);

        long v = writer.put(flag("silent", true), false);

        await().atMost(Duration.ofSeconds(2)).until(() -> sink.version() == v);
        assertThat(sink.flag("silent").enabled()).isTrue();
    }

    @Test
    void aKilledSubscriptionReconnectsAndCatchesUpWithoutAFullReload() {
        writer.put(flag("older", true), true);
        RecordingSink sink = start(NEVER);
        await().until(() -> sink.state() == SourceState.VALID);
        writer.put(flag("recent", true), true); // inside the failover loss window: verified on reconnect
        await().until(() -> sink.flag("recent") != null);
        double reloads = count("flagstore.source.full.reloads");
        double catchUps = count("flagstore.source.catchups");

        // the write lands before the subscriber can reconnect; unpublished, only a catch-up brings it; a
        // verified one (the writes held from the last minute are checked against Redis: see SentinelIT)
        List<Object> replies = redis.executeAtomically(List.of(
                new String[] {"CLIENT", "KILL", "TYPE", "pubsub"},
                writer.putCommand(flag("during-outage", true), false)));
        assertThat(replies.get(0)).isEqualTo(1L);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(sink.flag("during-outage")).isNotNull();
            assertThat(count("flagstore.source.catchups")).isGreaterThan(catchUps);
        });
        await().until(() -> sink.state() == SourceState.VALID);
        writer.put(flag("after", true), true);
        awaitConverged(sink);
        assertThat(count("flagstore.source.full.reloads")).as("full reloads").isEqualTo(reloads);
        assertThat(sink.inits()).isEqualTo(1);
        assertThat(lagCount("catchup")).as("the unpublished write, caught up").isPositive();
    }

    @Test
    void aGarbageMessageIsIgnoredCountedAndCaughtUpFrom() {
        RecordingSink sink = start(NEVER);
        await().until(() -> sink.state() == SourceState.VALID);

        long v = writer.put(flag("hidden", true), false);
        writer.publish("{not json");
        writer.publish("{\"v\":\"x\"}");

        await().until(() -> sink.version() == v);
        assertThat(sink.flag("hidden")).isNotNull();
        assertThat(errors("message")).isEqualTo(2);
        assertThat(sink.state()).isEqualTo(SourceState.VALID);
        writer.put(flag("after", true), true);
        awaitConverged(sink);
    }

    @Test
    void aCorruptHashKeepsTheLastGoodDefinitionAndOthersStillApply() {
        writer.put(flag("good", false), true);
        writer.put(flag("victim", true), true);
        RecordingSink sink = start(NEVER);
        await().until(() -> sink.state() == SourceState.VALID);
        Flag lastGood = sink.flag("victim");

        writer.editField("victim", "variants", "{{{ nonsense");
        long corruptAt = writer.touchWithoutPublishing("victim");
        long v = writer.put(flag("good", true), true); // gap: the catch-up reads the corrupt hash

        await().until(() -> sink.version() == v);
        assertThat(sink.flag("victim")).isEqualTo(lastGood);
        assertThat(sink.flag("good").enabled()).isTrue();
        assertThat(errors("flag")).isEqualTo(1);
        assertThat(corruptAt).isLessThan(v);

        // a fresh client never had a good definition: it gets every other flag
        RecordingSink fresh = start(NEVER);
        await().until(() -> fresh.state() == SourceState.VALID);
        assertThat(fresh.flags()).containsOnlyKeys("good");
        assertThat(errors("flag")).isEqualTo(2);
    }

    @Test
    void presenceIsRegisteredUpdatedAfterEachApplyAndMarkedClosedOnClose() throws Exception {
        RecordingSink sink = new RecordingSink();
        RedisFlagSource source = fx.build(b -> b.serviceName("checkout").heartbeatInterval(Duration.ofHours(1)));
        source.start(sink);
        String clients = writer.keys().clients();
        try {
            assertThat(source.instanceId()).startsWith("checkout-");
            await().until(() -> redis.execute("HGET", clients, source.instanceId()) != null);

            long v = writer.put(flag("a", true), true);

            await().untilAsserted(() -> {
                Map<String, Object> entry =
                        new ObjectMapper().readValue((String) redis.execute("HGET", clients, source.instanceId()), MAP);
                assertThat(entry)
                        .containsEntry("service", "checkout")
                        .containsEntry("instance", source.instanceId())
                        .containsKeys("host", "heartbeat", "started", "appliedAt", "epoch")
                        .containsEntry("heartbeatMs", (int) Duration.ofHours(1).toMillis())
                        .containsEntry(
                                "digest",
                                FleetDigest.hex(FleetDigest.of(
                                        RedisTruth.flags(redis, fx.namespace).values())))
                        .doesNotContainKey("closedAt");
                assertThat(((Number) entry.get("appliedVersion")).longValue()).isEqualTo(v);
            });
        } finally {
            source.close();
        }
        PresenceJson.Parsed read =
                PresenceJson.read((String) redis.execute("HGET", clients, source.instanceId()), fx.namespace);
        ServiceInstance closed = read.instance();
        assertThat(read.problem()).isNull();
        assertThat(closed.closedAt()).as("closed, not removed").isNotNull();
        assertThat(closed.signingKey()).as("signed, close time included").isNotNull();
        assertThat(closed.heartbeatInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(sink.state()).isEqualTo(SourceState.CLOSED);
        source.close(); // idempotent
    }

    @Test
    void namespaceLostOnRestartIsReportedAndNeverAppliedAsAMassDeletion() {
        writer.put(flag("a", true), true);
        writer.put(flag("b", true), true);
        RecordingSink sink = start(Duration.ofMillis(200));
        await().until(() -> sink.state() == SourceState.VALID);
        Map<String, Flag> before = sink.flags();

        redis.restart(); // no persistence: the namespace is gone

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.state() == SourceState.NAMESPACE_RESET);
        assertThat(sink.stateMessage()).contains("empty");
        assertThat(sink.flags()).isEqualTo(before);
        assertThat(sink.inits()).isEqualTo(1);

        // ordinary writes (a writer that records no epoch origin) are not a re-seed: nothing is applied
        writer.put(flag("a", false), true);
        writer.put(flag("c", true), true);
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.stateMessage().contains("not re-seeded"));
        assertThat(sink.flags()).isEqualTo(before);

        // a deliberate re-seed creates a new epoch that is reloaded whole
        fx.admin()
                .forceReseed(
                        new FlagDocument(List.of(flag("a", false), flag("c", true)), List.of()),
                        WriteOptions.defaults());

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.state() == SourceState.VALID);
        awaitConverged(sink);
        assertThat(sink.flags()).containsOnlyKeys("a", "c");
    }

    @Test
    void aServiceBootingIntoALostNamespaceServesItsBackupAndRecoversWhenReSeededFromIt(@TempDir Path dir)
            throws Exception {
        Path backup = dir.resolve("backup.json");
        FlagAdmin admin = fx.admin();
        admin.create(flag("a", true));
        admin.create(flag("b", false));
        RecordingSink first = fx.start(b -> b.backupFile(backup));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> backup.toFile().exists()
                        && BackupFile.read(backup).data().version() == 2);
        Map<String, Flag> held = first.flags();
        fx.close();
        fx = new SourceFixture(redis, fx.namespace);

        redis.restart(); // no persistence: the namespace is gone
        RecordingSink booted = fx.start(b -> b.backupFile(backup).reconcileInterval(Duration.ofMillis(200)));

        await().atMost(Duration.ofSeconds(5)).until(() -> booted.state() == SourceState.NAMESPACE_RESET);
        assertThat(booted.flags()).isEqualTo(held);

        // the documented recovery: re-seed from the backup document (`flagctl apply -f <backup> --reseed`)
        FlagDocument document = FlagJson.readDocument(Files.readString(backup));
        fx.admin().reseed(document, WriteOptions.defaults().withReason("re-seed from backup"));

        await().atMost(Duration.ofSeconds(5)).until(() -> booted.state() == SourceState.VALID);
        fx.awaitConverged(booted);
        assertThat(booted.flags().keySet()).isEqualTo(held.keySet());
        assertThat(booted.flag("a").enabled()).isTrue();
    }

    @Test
    void theDocumentedReaderAclIsEnoughForTheSource() {
        // the service role of docs/operations.md, "Access control", read from that file
        String uri = DocumentedAcl.create(redis, DocumentedAcl.Role.SERVICE, fx.namespace, "flag-reader", "reader-pw");
        try {
            fx.admin().create(flag("a", true));
            RecordingSink sink = fx.start(b -> b.options(
                    RedisOptions.builder().uri(uri).namespace(fx.namespace).build()));
            await().until(() -> sink.state() == SourceState.VALID);
            await().until(() -> ((List<?>) redis.execute("HKEYS", writer.keys().clients())).size() == 1);

            fx.admin().disable("a");

            awaitConverged(sink);
        } finally {
            redis.execute("ACL", "DELUSER", "flag-reader");
        }
    }
}
