package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.ClientState;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.Prerequisite;
import io.flagstore.core.model.Segment;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.internal.BackupFile;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RecordingSink;
import io.flagstore.redis.testing.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data loss and deliberate re-seeding (docs/operations.md, "Data loss and recovery") against a real
 * redis-server without persistence: a loss followed by ordinary writes is never applied as a mass
 * deletion; only a seed makes services that hold data reload.
 */
class ReseedIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private static final Duration FAST = Duration.ofMillis(200);
    private static final Duration SOON = Duration.ofSeconds(10);

    private SourceFixture fx;
    private KeySchema keys;

    @BeforeEach
    void namespace() {
        fx = new SourceFixture(redis);
        keys = fx.raw.keys();
    }

    @AfterEach
    void closeSources() throws Exception {
        fx.close();
    }

    /** Three flags (one disabled, one with a prerequisite) and a segment, as an operator's export. */
    private FlagDocument seedThreeFlags() {
        FlagAdmin admin = fx.admin();
        admin.putSegment(
                new Segment("staff", "staff", List.of("alice"), List.of(), List.of(), null, 0),
                WriteOptions.defaults());
        admin.create(Flag.killSwitch("checkout").withEnabled(true));
        admin.create(Flag.killSwitch("payments").withEnabled(false));
        admin.create(Flag.killSwitch("search").toBuilder()
                .enabled(true)
                .prerequisites(List.of(new Prerequisite("checkout", "on")))
                .build());
        return new FlagDocument(admin.list(), admin.segments());
    }

    /** What an external FLUSHALL does to one namespace, presence included. */
    private void wipeNamespace() {
        List<?> all = (List<?>) redis.execute("KEYS", keys.prefix() + "*");
        all.forEach(k -> redis.execute("DEL", (String) k));
    }

    private Object meta(String field) {
        return redis.execute("HGET", keys.meta(), field);
    }

    private static WriteOptions because(String reason) {
        return WriteOptions.defaults().withActor("oncall").withReason(reason);
    }

    @Test
    void afterADataLossTheAdminRefusesRoutineWritesAndServicesKeepEveryFlagUntilReseeded() {
        FlagDocument export = seedThreeFlags();
        FlagClient client = FlagClient.builder()
                .source(fx.build(b -> b.reconcileInterval(FAST)))
                .build();
        RecordingSink other = fx.start(FAST);
        await().atMost(SOON).until(() -> client.health().state() == ClientState.READY);
        fx.awaitConverged(other);
        long held = other.version();
        Map<String, Flag> before = other.flags();
        EvaluationContext ctx = EvaluationContext.of("user-1");
        assertThat(client.boolValue("checkout", ctx, false)).isTrue();
        assertThat(client.boolValue("payments", ctx, true)).isFalse();

        redis.restart(); // no persistence: every key of the namespace is gone

        await().atMost(SOON).until(() -> other.state() == SourceState.NAMESPACE_RESET);
        await().atMost(SOON).until(() -> client.health().state() == ClientState.NAMESPACE_RESET);
        // presence comes back at once on the state change: the admin sees two instances holding data
        await().atMost(SOON).until(() -> fx.admin().instances().size() == 2);

        assertThatThrownBy(() -> fx.admin().create(Flag.killSwitch("x")))
                .isInstanceOf(NamespaceResetException.class)
                .hasMessageContaining(
                        "namespace '" + fx.namespace + "' looks reset: 2 live instances hold version " + held)
                .satisfies(e -> assertThat(((NamespaceResetException) e).liveInstances())
                        .isEqualTo(2));
        assertThat(redis.execute("EXISTS", keys.meta(), keys.version(), keys.flag("x"), keys.audit()))
                .isEqualTo(0L);
        assertThat(other.flags()).isEqualTo(before);
        assertThat(client.boolValue("checkout", ctx, false)).isTrue();
        assertThat(client.boolValue("search", ctx, false)).isTrue();

        WriteResult seeded = fx.admin().reseed(export, because("INC-7 restore"));

        assertThat(seeded.version()).isGreaterThan(held); // versions keep rising for --wait and status
        assertThat(meta(KeySchema.META_ORIGIN)).isEqualTo(KeySchema.ORIGIN_SEED);
        await().atMost(SOON).until(() -> client.health().state() == ClientState.READY);
        await().atMost(SOON).until(() -> other.state() == SourceState.VALID);
        fx.awaitConverged(other);
        assertThat(other.flags().keySet()).isEqualTo(before.keySet());
        assertThat(other.segments()).containsOnlyKeys("staff");
        before.forEach(
                (key, flag) -> assertThat(other.flag(key).enabled()).as(key).isEqualTo(flag.enabled()));
        assertThat(client.boolValue("payments", ctx, true)).isFalse();
        AuditEntry audit = fx.admin().history(1).get(0);
        assertThat(audit.op()).isEqualTo("reseed");
        assertThat(audit.actor()).isEqualTo("oncall");
        assertThat(audit.reason()).isEqualTo("INC-7 restore");
        client.close();
    }

    @Test
    void aWriteInTheWindowBeforeHeartbeatsReturnLeavesServicesResetUntilAForcedReseed() {
        FlagDocument export = seedThreeFlags();
        // no reconcile and no heartbeat: only the write's own message tells the source about the loss
        RecordingSink sink =
                fx.start(b -> b.reconcileInterval(SourceFixture.NEVER).heartbeatInterval(Duration.ofHours(1)));
        fx.awaitConverged(sink);
        await().until(() -> sink.state() == SourceState.VALID);
        Map<String, Flag> before = sink.flags();
        String lostEpoch = (String) meta(KeySchema.META_EPOCH);

        wipeNamespace(); // FLUSHALL from outside: the presence entries are gone too
        fx.admin().create(Flag.killSwitch("x").withEnabled(true), because("routine"));

        assertThat(meta(KeySchema.META_ORIGIN)).isEqualTo(KeySchema.ORIGIN_WRITE);
        await().atMost(SOON).until(() -> sink.state() == SourceState.NAMESPACE_RESET);
        assertThat(sink.stateMessage()).contains("not re-seeded", lostEpoch);
        assertThat(sink.flags()).isEqualTo(before);
        assertThat(sink.inits()).isEqualTo(1);

        // later routine writes into the new epoch change nothing for it either
        fx.admin().disable("x");
        RecordingSink fresh = fx.start(FAST); // holds nothing: takes the namespace as it is
        fx.awaitConverged(fresh);
        assertThat(fresh.state()).isEqualTo(SourceState.VALID);
        assertThat(fresh.flags()).containsOnlyKeys("x");
        assertThat(sink.flags()).isEqualTo(before);
        assertThat(sink.state()).isEqualTo(SourceState.NAMESPACE_RESET);

        long version = Long.parseLong((String) redis.execute("GET", keys.version()));
        assertThatThrownBy(() -> fx.admin().reseed(export, because("restore")))
                .isInstanceOf(NamespaceNotEmptyException.class)
                .hasMessageContaining(
                        "is not empty (version " + version + ", 1 flags and segments, epoch origin 'write')");
        assertThat(meta(KeySchema.META_ORIGIN)).isEqualTo(KeySchema.ORIGIN_WRITE);

        fx.admin().forceReseed(export, because("restore over the routine writes"));

        await().atMost(SOON).until(() -> sink.state() == SourceState.VALID);
        fx.awaitConverged(sink);
        fx.awaitConverged(fresh); // a client of the write epoch reloads from the seed as well
        assertThat(sink.flags().keySet()).isEqualTo(before.keySet());
        assertThat(redis.execute("EXISTS", keys.flag("x"))).isEqualTo(0L);
        assertThat(meta(KeySchema.META_ORIGIN)).isEqualTo(KeySchema.ORIGIN_SEED);
        AuditEntry audit = fx.admin().history(1).get(0);
        assertThat(audit.before()).extracting(Flag::key).contains("x");
        assertThat(audit.after()).extracting(Flag::key).containsExactlyInAnyOrderElementsOf(before.keySet());
    }

    @Test
    void aServiceBootingWithABackupIntoAWriteOriginNamespaceServesTheBackupUntilReseeded(@TempDir Path dir)
            throws Exception {
        Path backup = dir.resolve("backup.json");
        seedThreeFlags();
        fx.start(b -> b.backupFile(backup));
        await().atMost(SOON)
                .until(() -> backup.toFile().exists()
                        && BackupFile.read(backup).data().version() == 4);
        Map<String, Flag> held = BackupFile.read(backup).data().flags();
        fx.close();
        fx = new SourceFixture(redis, fx.namespace);

        wipeNamespace();
        fx.admin().create(Flag.killSwitch("x"));
        RecordingSink booted = fx.start(b -> b.backupFile(backup).reconcileInterval(FAST));

        await().atMost(SOON).until(() -> booted.state() == SourceState.NAMESPACE_RESET);
        assertThat(booted.flags()).isEqualTo(held);

        // the documented recovery: the backup file is a FlagJson document
        FlagDocument document = FlagJson.readDocument(Files.readString(backup));
        fx.admin().forceReseed(document, because("re-seed from checkout's backup"));

        await().atMost(SOON).until(() -> booted.state() == SourceState.VALID);
        fx.awaitConverged(booted);
        assertThat(booted.flags().keySet()).isEqualTo(held.keySet());
    }

    @Test
    void theFirstWriteRecordsOriginWriteAndReseedValidatesTheWholeDocumentFirst() {
        fx.admin().create(Flag.killSwitch("a"));
        assertThat(fx.admin().info().origin()).isEqualTo(KeySchema.ORIGIN_WRITE);

        SourceFixture empty = new SourceFixture(redis);
        Flag dangling = Flag.killSwitch("b").toBuilder()
                .prerequisites(List.of(new Prerequisite("missing", "on")))
                .build();
        try (FlagAdmin admin = FlagAdmin.connect(empty.options())) {
            assertThatThrownBy(() -> admin.reseed(new FlagDocument(List.of(dangling), List.of()), because("x")))
                    .isInstanceOf(InvalidFlagException.class)
                    .hasMessageContaining("missing");
            assertThatThrownBy(() -> admin.reseed(new FlagDocument(List.of(), List.of()), because("x")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> admin.reseed(
                            new FlagDocument(List.of(Flag.killSwitch("a")), List.of()),
                            because("x").withExpectedVersion(3)))
                    .isInstanceOf(IllegalArgumentException.class);
            KeySchema emptyKeys = empty.raw.keys();
            assertThat(redis.execute("EXISTS", emptyKeys.meta(), emptyKeys.version(), emptyKeys.audit()))
                    .isEqualTo(0L);

            admin.reseed(new FlagDocument(List.of(Flag.killSwitch("a")), List.of()), because("first seed"));

            assertThat(admin.info().origin()).isEqualTo(KeySchema.ORIGIN_SEED);
            assertThat(admin.info().version()).isEqualTo(1);
            assertThat(admin.get("a")).isPresent();
        }
    }

    /**
     * Random losses, routine writes (through the admin, or raw as a writer in the window before
     * heartbeats return would), re-seeds and forced re-seeds: a service holding data follows Redis
     * only while it is on an epoch it accepted; after a loss its flags do not change at all until a
     * seed, after which it equals Redis again.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 42})
    void aServiceHoldingDataFollowsOnlySeedsAfterALoss(long seed) {
        Random random = new Random(seed);
        seedThreeFlags();
        RecordingSink sink = fx.start(Duration.ofMillis(100));
        fx.awaitConverged(sink);
        Map<String, Flag> frozen = null; // what the service must keep serving while detached
        for (int step = 0; step < 14; step++) {
            String at = "seed " + seed + ", step " + step;
            String key = "k" + random.nextInt(4);
            boolean enabled = random.nextBoolean();
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    try {
                        fx.admin()
                                .apply(
                                        Batch.builder()
                                                .put(Flag.killSwitch(key).withEnabled(enabled))
                                                .build(),
                                        because(at));
                    } catch (NamespaceResetException e) {
                        assertThat(redis.execute("EXISTS", keys.meta())).as(at).isEqualTo(0L);
                    }
                }
                case 2 -> fx.raw.put(Flag.killSwitch(key).withEnabled(enabled), true);
                case 3 -> {
                    wipeNamespace();
                    if (frozen == null) {
                        frozen = sink.flags();
                    }
                }
                default -> {
                    List<Flag> flags = new ArrayList<>();
                    for (int k = 0; k < 4; k++) {
                        if (random.nextBoolean()) {
                            flags.add(Flag.killSwitch("k" + k).withEnabled(random.nextBoolean()));
                        }
                    }
                    flags.add(Flag.killSwitch("always").withEnabled(enabled));
                    FlagDocument document = new FlagDocument(flags, List.of());
                    try {
                        fx.admin().reseed(document, because(at));
                    } catch (NamespaceNotEmptyException e) {
                        fx.admin().forceReseed(document, because(at));
                    }
                    frozen = null;
                }
            }
            if (frozen == null) {
                fx.awaitConverged(sink, SOON);
                await(at).atMost(SOON).until(() -> sink.state() == SourceState.VALID);
            } else {
                Map<String, Flag> held = frozen;
                await(at).atMost(SOON).until(() -> sink.state() == SourceState.NAMESPACE_RESET);
                await(at).during(Duration.ofMillis(300)).atMost(SOON).until(() -> sink.flags()
                        .equals(held));
            }
        }
    }
}
