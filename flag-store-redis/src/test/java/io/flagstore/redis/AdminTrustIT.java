package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.internal.PresenceJson;
import io.flagstore.redis.testing.RecordingSink;
import io.flagstore.redis.testing.RedisServerExtension;
import io.flagstore.redis.testing.ReplyDroppingProxy;
import io.flagstore.redis.testing.SignedPresence;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin side when Redis or presence data lies or breaks: a version that went backwards,
 * presence entries that cannot be true, a poisoned version offered to a re-seed, corrupt keys, a
 * reply that comes after the timeout, and hashes edited by hand. Real redis-server throughout.
 */
class AdminTrustIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private SourceFixture fx;
    private KeySchema keys;

    @BeforeEach
    void namespace() {
        fx = new SourceFixture(redis);
        keys = fx.raw.keys();
    }

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    private String epoch() {
        return (String) redis.execute("HGET", keys.meta(), KeySchema.META_EPOCH);
    }

    private long version() {
        return Long.parseLong((String) redis.execute("GET", keys.version()));
    }

    private void presence(String id, long applied, Instant appliedAt, Instant heartbeat, String epoch) {
        presence(new ServiceInstance(
                "svc", id, "h1", applied, appliedAt, heartbeat, heartbeat, epoch, null, null, null));
    }

    private void presence(ServiceInstance instance) {
        redis.execute("HSET", keys.clients(), instance.instance(), PresenceJson.write(instance));
    }

    @Test
    void aWriteAfterTheVersionWentBackwardsIsRefusedAndNothingIsWritten() {
        FlagAdmin admin = fx.admin();
        admin.create(Flag.killSwitch("payments"));
        admin.create(Flag.killSwitch("search"));
        RecordingSink sink = fx.start(SourceFixture.NEVER);
        fx.awaitConverged(sink);
        long held = sink.version();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.instances().stream().anyMatch(i -> i.appliedVersion() == held));

        redis.execute("SET", keys.version(), Long.toString(held - 1)); // e.g. restored from an older backup

        assertThat(admin.fleet().ahead()).hasSize(1);
        assertThatThrownBy(() -> admin.disable("payments"))
                .isInstanceOf(VersionRegressionException.class)
                .hasMessageContaining("went backwards: Redis holds version " + (held - 1))
                .satisfies(e -> assertThat(((VersionRegressionException) e).heldVersion())
                        .isEqualTo(held));
        assertThat(version()).isEqualTo(held - 1);
        assertThat(admin.get("payments").orElseThrow().enabled()).isTrue();
    }

    @Test
    void presenceEntriesThatCannotBeTrueNeverConfirmAWrite() {
        FlagAdmin admin = fx.admin();
        admin.create(Flag.killSwitch("payments"));
        WriteResult w = admin.disable("payments");
        Instant now = Instant.now();
        String epoch = epoch();
        presence("honest", w.version(), w.writtenAt().plusMillis(3), now, epoch);
        presence("future", w.version(), w.writtenAt().plusMillis(3), now.plus(Duration.ofHours(1)), epoch);
        presence("huge", Long.MAX_VALUE - 5, w.writtenAt().plusMillis(3), now, epoch);
        presence("earlier", w.version(), w.writtenAt().minusSeconds(60), now, epoch);
        presence("other-epoch", w.version(), w.writtenAt().plusMillis(3), now, "not-" + epoch);

        FleetView fleet = admin.fleet();

        assertThat(fleet.implausible())
                .extracting(FleetView.Implausible::field)
                .containsExactlyInAnyOrder("future", "huge");
        assertThat(fleet.live())
                .filteredOn(i -> fleet.confirms(i, w.version(), w.writtenAt()))
                .extracting(ServiceInstance::instance)
                .containsExactly("honest");

        presence("beyond", w.version() + 5, w.writtenAt().plusMillis(3), now, epoch);
        FleetView withBeyond = admin.fleet();
        ServiceInstance beyond = withBeyond.live().stream()
                .filter(i -> i.instance().equals("beyond"))
                .findFirst()
                .orElseThrow();
        assertThat(withBeyond.confirms(beyond, w.version(), w.writtenAt())).isFalse();
        assertThat(withBeyond.ahead()).containsExactly(beyond);
    }

    @Test
    void aSourcesSignedEntryIsReadWithItsKeyAndAlteredOrMovedCopiesAreNotBelieved() {
        FlagAdmin admin = fx.admin();
        admin.create(Flag.killSwitch("payments"));
        RecordingSink sink = fx.start(SourceFixture.NEVER);
        fx.awaitConverged(sink);
        await().atMost(Duration.ofSeconds(10)).until(() -> !admin.fleet().live().isEmpty());
        ServiceInstance real = admin.fleet().live().get(0);
        String json = (String) redis.execute("HGET", keys.clients(), real.instance());
        Instant now = Instant.now();
        ServiceInstance elsewhere =
                new ServiceInstance("svc", "elsewhere", null, 1, now, now, null, epoch(), null, null, null);
        SignedPresence otherKey = new SignedPresence();

        redis.execute("HSET", keys.clients(), "altered", json.replace("\"appliedVersion\":", "\"appliedVersion\":1"));
        redis.execute("HSET", keys.clients(), "elsewhere", otherKey.entry("another-namespace", elsewhere));
        FleetView fleet = admin.fleet();

        assertThat(real.signingKey()).as("a source signs its entry").isNotNull();
        assertThat(fleet.live()).extracting(ServiceInstance::instance).containsExactly(real.instance());
        assertThat(fleet.implausible())
                .extracting(FleetView.Implausible::field, FleetView.Implausible::reason)
                .containsExactlyInAnyOrder(
                        tuple("altered", "signature does not verify"), tuple("elsewhere", "signature does not verify"));
    }

    @Test
    void instancesAreJudgedByTheirOwnHeartbeatIntervalAndClosedOnesAreNotLive() {
        FlagAdmin admin = fx.admin();
        admin.create(Flag.killSwitch("payments"));
        Instant now = Instant.now();
        Instant halfAMinuteAgo = now.minusSeconds(30);
        presence(new ServiceInstance(
                "svc", "slow", null, 1, now, halfAMinuteAgo, now, epoch(), Duration.ofMinutes(1), null, null));
        presence("default-interval", 1, now, halfAMinuteAgo, epoch());
        presence(new ServiceInstance(
                "svc", "closed", null, 1, now, now, now, epoch(), Duration.ofSeconds(5), null, now));
        presence(new ServiceInstance(
                "svc",
                "closed-long-ago",
                null,
                1,
                now,
                now.minusSeconds(3600),
                now,
                epoch(),
                null,
                null,
                now.minusSeconds(3600)));

        FleetView fleet = admin.fleet();

        assertThat(fleet.live()).extracting(ServiceInstance::instance).containsExactly("slow");
        assertThat(fleet.lost()).extracting(ServiceInstance::instance).containsExactly("default-interval");
        assertThat(fleet.closed()).extracting(ServiceInstance::instance).containsExactly("closed");
        assertThat(admin.instances()).extracting(ServiceInstance::instance).containsExactly("slow");
        assertThat(redis.execute("HEXISTS", keys.clients(), "closed-long-ago")).isEqualTo(0L);
    }

    @Test
    void aReseedNeverTakesItsVersionFromAPoisonedPresenceEntry() {
        FlagAdmin admin = fx.admin();
        admin.create(Flag.killSwitch("payments"));
        FlagDocument export = new FlagDocument(admin.list(), admin.segments());
        List<?> all = (List<?>) redis.execute("KEYS", keys.prefix() + "*");
        all.forEach(k -> redis.execute("DEL", (String) k)); // the namespace is lost
        Instant now = Instant.now();
        presence("real", 7, now, now, "old-epoch");
        presence("poisoned", 9_223_372_036_854_775_000L, now, now, "old-epoch");

        WriteResult seeded = admin.reseed(export, WriteOptions.defaults().withReason("restore"));

        assertThat(seeded.version()).isEqualTo(8);
        RecordingSink sink = fx.start(SourceFixture.NEVER);
        fx.awaitConverged(sink);
        assertThat(sink.flags()).containsKey("payments");
    }

    @Test
    void aKeyOfTheWrongTypeIsOneCorruptFlagThatCanBeOverwrittenOrDeleted() {
        FlagAdmin admin = fx.admin();
        admin.create(Flag.killSwitch("good").toBuilder().tags(List.of("t")).build());
        admin.create(Flag.killSwitch("bad"));
        redis.execute("DEL", keys.flag("bad"));
        redis.execute("SET", keys.flag("bad"), "not a hash");

        assertThat(admin.list()).extracting(Flag::key).containsExactly("good");
        assertThat(admin.contents().corrupt()).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("bad");
            assertThat(c.problems()).anyMatch(p -> p.contains("WRONGTYPE"));
        });
        assertThatThrownBy(() -> admin.get("bad")).isInstanceOf(InvalidFlagException.class);
        admin.disable("good");
        admin.setEnabledByTag("t", true, WriteOptions.defaults());
        assertThat(admin.verify()).extracting(CorruptKey::key).containsExactly("bad");

        admin.apply(
                Batch.builder().put(Flag.killSwitch("bad").withEnabled(false)).build(), WriteOptions.defaults());
        assertThat(admin.get("bad").orElseThrow().enabled()).isFalse();
        assertThat(admin.contents().corrupt()).isEmpty();

        redis.execute("DEL", keys.flag("bad"));
        redis.execute("RPUSH", keys.flag("bad"), "still not a hash");
        admin.delete("bad");
        assertThat(redis.execute("EXISTS", keys.flag("bad"))).isEqualTo(0L);
        assertThat(admin.contents().corrupt()).isEmpty();
    }

    @Test
    void aHashWithACorruptFieldCanBeOverwrittenOrDeleted() {
        FlagAdmin admin = fx.admin();
        admin.create(Flag.killSwitch("good"));
        admin.create(Flag.killSwitch("bad"));
        redis.execute("HSET", keys.flag("bad"), "variants", "{not json");

        assertThat(admin.contents().corrupt()).extracting(CorruptKey::key).containsExactly("bad");
        admin.update(Flag.killSwitch("bad").withEnabled(false));
        assertThat(admin.get("bad").orElseThrow().enabled()).isFalse();

        redis.execute("HSET", keys.flag("bad"), "variants", "{not json");
        admin.delete("bad");
        assertThat(admin.get("bad")).isEmpty();
        assertThat(admin.list()).extracting(Flag::key).containsExactly("good");
    }

    @Test
    void aWriteWhoseReplyComesAfterTheTimeoutIsReportedAsUnknownNotAsNotWritten() {
        fx.admin().create(Flag.killSwitch("payments"));
        long before = version();
        try (FlagAdmin impatient = FlagAdmin.connect(
                fx.options().toBuilder().commandTimeout(Duration.ofMillis(300)).build())) {
            redis.execute("CLIENT", "PAUSE", "1500", "WRITE"); // the script waits, its reply comes late

            assertThatThrownBy(() -> impatient.disable("payments"))
                    .isInstanceOf(WriteOutcomeUnknownException.class)
                    .hasMessageContaining("may or may not have been written");
            // the connection stays open, as when only the reply is slow: the write happens
            await().atMost(Duration.ofSeconds(10)).until(() -> version() == before + 1);
        }
        assertThat(fx.admin().get("payments").orElseThrow().enabled()).isFalse();
    }

    @Test
    void theWriteScriptReadsAppliedVersionsHoweverTheEntryIsSpelled() {
        FlagAdmin admin = fx.admin();
        admin.create(Flag.killSwitch("payments"));
        long now = System.currentTimeMillis();
        // plain entries at or below the version are judged by their number alone, without decoding
        presence("plain", version(), Instant.ofEpochMilli(now), Instant.ofEpochMilli(now), epoch());
        admin.disable("payments");
        // the same facts spelled with spaces and an escaped key name, as another JSON writer may write them
        redis.execute(
                "HSET",
                keys.clients(),
                "spaced",
                String.format(
                        "{ \"service\" : \"svc\", \"instance\" : \"spaced\", \"applied\\u0056ersion\" : %d,"
                                + " \"heartbeat\" : %d, \"heartbeatMs\" : 5000, \"epoch\" : \"%s\" }",
                        version() + 5, now, epoch()));

        assertThatThrownBy(() -> admin.enable("payments")).isInstanceOf(VersionRegressionException.class);
    }

    @Test
    void aWriteSentAgainAfterItsReplyWasLostHappensOnceAndReportsTheFirstReply() {
        fx.admin().create(Flag.killSwitch("payments"));
        try (ReplyDroppingProxy proxy = new ReplyDroppingProxy(redis.port());
                FlagAdmin throughProxy = FlagAdmin.connect(
                        fx.options().toBuilder().uri(proxy.uri()).build())) {
            throughProxy.get("payments"); // connected, the script loaded: the next EVALSHA is the write
            for (Supplier<WriteResult> write : List.<Supplier<WriteResult>>of(
                    () -> throughProxy.create(Flag.killSwitch("search")), // a write that expects the key absent
                    () -> throughProxy.disable("payments"), // a switch, one script call
                    () -> throughProxy.apply(Batch.builder().delete("search").build(), WriteOptions.defaults()))) {
                long before = version();
                long audited = (Long) redis.execute("XLEN", keys.audit());
                proxy.dropNextReplyTo("EVALSHA");

                // the reply is lost, the connection closes, the client sends the same call again
                WriteResult result = write.get();

                assertThat(version()).as("written once").isEqualTo(before + 1);
                assertThat(result.version()).isEqualTo(before + 1);
                assertThat((Long) redis.execute("XLEN", keys.audit())).isEqualTo(audited + 1);
            }
            assertThat(proxy.dropped()).isEqualTo(3);
            assertThat(fx.admin().get("payments").orElseThrow().enabled()).isFalse();
            assertThat(fx.admin().get("search")).isEmpty();
        }
    }

    @Test
    void everyWriteRecordsTheAuthenticatedRedisUserBesideTheDeclaredActor() {
        fx.admin().create(Flag.killSwitch("payments"), WriteOptions.defaults().withActor("alice"));

        AuditEntry entry = fx.admin().history(1).get(0);

        assertThat(entry.actor()).isEqualTo("alice");
        assertThat(entry.redisUser()).isEqualTo("default");
    }

    @Test
    void verifyFindsAHashEditedWithoutAWriteAndARewriteRepairsIt() {
        FlagAdmin admin = fx.admin();
        admin.create(Flag.killSwitch("payments"));
        admin.create(Flag.killSwitch("search"));
        assertThat(admin.verify()).isEmpty();

        redis.execute("HSET", keys.flag("payments"), "description", "edited by hand");

        assertThat(admin.verify()).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("payments");
            assertThat(c.problems()).anyMatch(p -> p.contains("checksum mismatch"));
        });
        Flag edited = admin.get("payments").orElseThrow();
        admin.update(
                edited.toBuilder().version(0).build(), WriteOptions.defaults().withExpectedVersion(edited.version()));
        assertThat(admin.verify()).isEmpty();
    }
}
