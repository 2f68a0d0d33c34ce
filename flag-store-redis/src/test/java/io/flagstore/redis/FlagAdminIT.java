package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.VersionConflictException;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagType;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Prerequisite;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Segment;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.internal.ChangeMessage;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FlagAdminIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private KeySchema keys;
    private FlagAdmin admin;

    @BeforeEach
    void connect() {
        admin = admin(redis.uniqueNamespace());
        keys = KeySchema.of(admin.options().namespace());
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private FlagAdmin admin(String namespace) {
        FlagAdmin a = FlagAdmin.connect(
                RedisOptions.builder().uri(redis.uri()).namespace(namespace).build());
        closeables.add(a);
        return a;
    }

    /** An admin on this test's namespace, logged in as an ACL user. */
    private FlagAdmin connectAs(String user, String password) {
        FlagAdmin a = FlagAdmin.connect(RedisOptions.builder()
                .uri(redis.uri().replace("redis://", "redis://" + user + ":" + password + "@"))
                .namespace(keys.namespace())
                .build());
        closeables.add(a);
        return a;
    }

    private static WriteOptions by(String actor) {
        return WriteOptions.defaults().withActor(actor);
    }

    private Object version() {
        return redis.execute("GET", keys.version());
    }

    private long auditLength() {
        return (Long) redis.execute("XLEN", keys.audit());
    }

    /** Subscribes a raw Lettuce pub/sub connection to the namespace's channel. */
    private BlockingQueue<String> subscribe() {
        RedisClient client = RedisClient.create(redis.uri());
        StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub();
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                messages.add(message);
            }
        });
        connection.sync().subscribe(keys.changes());
        closeables.add(connection);
        closeables.add(client::shutdown);
        return messages;
    }

    @Test
    void createdFlagReadsBackAndIsReadableInRedisCli() {
        WriteResult result =
                admin.create(Flag.killSwitch("new-checkout"), by("alice").withReason("launch"));

        assertThat(result.version()).isEqualTo(1);
        assertThat(result.keys()).containsExactly("new-checkout");
        Flag stored = admin.get("new-checkout").orElseThrow();
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.updatedBy()).isEqualTo("alice");
        assertThat(stored.updatedAt()).isEqualTo(result.writtenAt());
        assertThat(stored.createdAt()).isNotNull();
        assertThat(stored.toBuilder()
                        .version(0)
                        .updatedAt(null)
                        .updatedBy(null)
                        .createdAt(null)
                        .build())
                .isEqualTo(Flag.killSwitch("new-checkout"));

        String cli = redis.redisCli("HGETALL", keys.flag("new-checkout"));
        assertThat(cli.lines().toList())
                .containsSubsequence("enabled", "true")
                .containsSubsequence("type", "boolean")
                .containsSubsequence("variants", "{\"on\":true,\"off\":false}")
                .containsSubsequence("version", "1")
                .containsSubsequence("updatedBy", "alice");
        assertThat(redis.execute("ZSCORE", keys.flags(), "new-checkout")).isEqualTo("1");
        assertThat(redis.execute("HGET", keys.meta(), "schemaVersion")).isEqualTo("1");
        assertThat((String) redis.execute("HGET", keys.meta(), "epoch")).hasSize(36);

        admin.disable("new-checkout", by("bob"));
        assertThat(admin.get("new-checkout").orElseThrow().createdAt()).isEqualTo(stored.createdAt());
    }

    @Test
    void listAndSegmentsAreSortedByKey() {
        admin.create(Flag.killSwitch("b"));
        admin.create(Flag.killSwitch("a"));
        admin.putSegment(new Segment("staff", "employees", List.of("u1"), List.of(), List.of(), null, 0), by("x"));

        assertThat(admin.list()).extracting(Flag::key).containsExactly("a", "b");
        assertThat(admin.segments()).singleElement().satisfies(s -> {
            assertThat(s.included()).containsExactly("u1");
            assertThat(s.version()).isEqualTo(3);
        });
        assertThat(admin.getSegment("staff")).isPresent();
        assertThat(admin.get("missing")).isEmpty();
    }

    @Test
    void staleExpectedVersionIsAConflictAndWritesNothing() {
        admin.create(Flag.killSwitch("k"));
        admin.disable("k");
        Map<?, ?> hashBefore = hgetall(keys.flag("k"));

        assertThatThrownBy(() -> admin.update(
                        Flag.killSwitch("k").toBuilder().description("x").build(),
                        WriteOptions.defaults().withExpectedVersion(1)))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.key()).isEqualTo("k");
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(2);
                });
        assertThatThrownBy(() -> admin.enable("k", WriteOptions.defaults().withExpectedVersion(1)))
                .isInstanceOf(VersionConflictException.class);

        assertThat(version()).isEqualTo("2");
        assertThat(auditLength()).isEqualTo(2);
        assertThat(hgetall(keys.flag("k"))).isEqualTo(hashBefore);
    }

    @Test
    void updateWithTheFlagsOwnVersionIsCompareAndSet() {
        admin.create(Flag.killSwitch("k"));
        Flag read = admin.get("k").orElseThrow();
        admin.update(read.toBuilder().description("first").build());

        assertThatThrownBy(() ->
                        admin.update(read.toBuilder().description("lost update").build()))
                .isInstanceOf(VersionConflictException.class);
        assertThat(admin.get("k").orElseThrow().description()).isEqualTo("first");
    }

    @Test
    void createOfAnExistingKeyIsRefused() {
        admin.create(Flag.killSwitch("k"));

        assertThatThrownBy(() -> admin.create(Flag.killSwitch("k")))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.expectedVersion()).isZero();
                    assertThat(e.actualVersion()).isEqualTo(1);
                });
        assertThat(version()).isEqualTo("1");
    }

    @Test
    void invalidFlagIsRefusedAndNothingIsWritten() {
        Flag bad = Flag.booleanFlag("bad").offVariant("nope").build();

        assertThatThrownBy(() -> admin.create(bad))
                .isInstanceOfSatisfying(InvalidFlagException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("flag 'bad'").contains("nope")));
        Flag dangling = Flag.killSwitch("child").toBuilder()
                .prerequisite(new Prerequisite("no-such-parent", "on"))
                .build();
        assertThatThrownBy(() -> admin.create(dangling))
                .isInstanceOfSatisfying(InvalidFlagException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains("no-such-parent")));

        assertThat(version()).isNull();
        assertThat(redis.execute("EXISTS", keys.flags(), keys.audit(), keys.meta(), keys.flag("bad")))
                .isEqualTo(0L);
    }

    /** A flag whose one rule serves {@code variant} to the contexts in {@code segment}. */
    private static Flag inSegment(Flag flag, String segment, String variant) {
        Clause clause = new Clause("key", Operator.IN_SEGMENT, List.of(TextNode.valueOf(segment)), false);
        return flag.toBuilder()
                .version(0)
                .rules(List.of(new Rule("r", null, List.of(clause), Serve.variant(variant))))
                .build();
    }

    @Test
    void aRuleChangeIsCheckedAgainstTheSegmentsItNames() {
        admin.putSegment(new Segment("staff", "employees", List.of("u1"), List.of(), List.of(), null, 0), by("x"));
        admin.create(inSegment(Flag.killSwitch("f"), "staff", "on"));
        Flag f = admin.get("f").orElseThrow();
        admin.create(Flag.killSwitch("g"));

        assertThatThrownBy(() -> admin.update(inSegment(f, "ghost", "on")))
                .isInstanceOfSatisfying(InvalidFlagException.class, e -> assertThat(e.problems())
                        .singleElement()
                        .satisfies(p ->
                                assertThat(p).startsWith("flag f: rules[0]").contains("ghost")));
        admin.update(inSegment(f, "staff", "off"));
        assertThat(admin.get("f").orElseThrow().rules().get(0).serve()).isEqualTo(Serve.variant("off"));

        // an unreadable segment counts as missing, as in the check of the whole namespace: naming it
        // anew is refused, a flag that already named it may still change
        redis.execute("DEL", keys.segment("staff"));
        redis.execute("SET", keys.segment("staff"), "not a hash");
        assertThatThrownBy(() -> admin.update(inSegment(admin.get("g").orElseThrow(), "staff", "on")))
                .isInstanceOfSatisfying(InvalidFlagException.class, e -> assertThat(e.problems())
                        .singleElement()
                        .satisfies(p ->
                                assertThat(p).startsWith("flag g: rules[0]").contains("staff")));
        admin.update(inSegment(admin.get("f").orElseThrow(), "staff", "on"));
        assertThat(admin.get("g").orElseThrow().rules()).isEmpty();
        assertThat(admin.get("f").orElseThrow().rules().get(0).serve()).isEqualTo(Serve.variant("on"));
    }

    @Test
    void deletingAPrerequisiteIsRefused() {
        admin.create(Flag.killSwitch("parent"));
        admin.create(Flag.killSwitch("child").toBuilder()
                .prerequisite(new Prerequisite("parent", "on"))
                .build());

        assertThatThrownBy(() -> admin.delete("parent"))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining("parent");
        assertThat(admin.get("parent")).isPresent();
        assertThatThrownBy(() -> admin.delete("never-existed")).isInstanceOf(FlagNotFoundException.class);
    }

    @Test
    void batchIsOneVersionOneAuditEntryAndOneMessage() throws Exception {
        admin.create(Flag.killSwitch("old"));
        BlockingQueue<String> messages = subscribe();

        WriteResult result = admin.apply(
                Batch.builder()
                        .put(Flag.killSwitch("a"))
                        .put(Flag.booleanFlag("b").build())
                        .delete("old", 1)
                        .putSegment(new Segment("staff", null, List.of("u1"), List.of(), List.of(), null, 0))
                        .build(),
                by("carol").withReason("release 7.3"));

        assertThat(result.version()).isEqualTo(2);
        assertThat(result.receivers()).isEqualTo(1);
        assertThat(result.keys()).containsExactly("a", "b", "old", "segment:staff");
        String raw = messages.poll(5, TimeUnit.SECONDS);
        ChangeMessage message = ChangeMessage.decode(raw);
        assertThat(message.version()).isEqualTo(2);
        assertThat(message.epoch()).isEqualTo(redis.execute("HGET", keys.meta(), "epoch"));
        assertThat(message.ts()).isEqualTo(result.writtenAt().toEpochMilli());
        assertThat(message.op()).isEqualTo("batch");
        assertThat(message.actor()).isEqualTo("carol");
        assertThat(message.flags()).extracting(t -> t.get("key").asText()).containsExactly("a", "b");
        assertThat(message.flags().get(0).get("updatedBy").asText()).isEqualTo("carol");
        assertThat(message.deleted()).containsExactly("old");
        assertThat(message.segments()).extracting(t -> t.get("key").asText()).containsExactly("staff");
        assertThat(message.deletedSegments()).isEmpty();
        assertThat(messages.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(auditLength()).isEqualTo(2);
        assertThat(redis.execute("ZSCORE", keys.flags(), "a")).isEqualTo("2");
        assertThat(redis.execute("ZSCORE", keys.flags(), "b")).isEqualTo("2");
        assertThat(redis.execute("ZSCORE", keys.segments(), "staff")).isEqualTo("2");
    }

    @Test
    void batchWithOneStaleItemWritesNothing() {
        admin.create(Flag.killSwitch("a"));
        admin.create(Flag.killSwitch("b"));

        assertThatThrownBy(() -> admin.apply(
                        Batch.builder()
                                .put(Flag.killSwitch("c"))
                                .delete("a", 1)
                                .delete("b", 1)
                                .build(),
                        WriteOptions.defaults()))
                .isInstanceOfSatisfying(
                        VersionConflictException.class, e -> assertThat(e.key()).isEqualTo("b"));
        assertThat(admin.list()).extracting(Flag::key).containsExactly("a", "b");
        assertThat(version()).isEqualTo("2");
    }

    @Test
    void deleteIsRecordedInTheDeletionLogUntilTheKeyIsRecreated() {
        admin.create(Flag.killSwitch("k"));
        WriteResult deleted = admin.delete("k", by("dave"));

        assertThat(redis.execute("ZSCORE", keys.deleted(), "k")).isEqualTo(Long.toString(deleted.version()));
        assertThat(redis.execute("ZSCORE", keys.flags(), "k")).isNull();
        assertThat(redis.execute("EXISTS", keys.flag("k"))).isEqualTo(0L);

        admin.create(Flag.killSwitch("k"));
        assertThat(redis.execute("ZSCORE", keys.deleted(), "k")).isNull();

        admin.putSegment(new Segment("s", null, List.of(), List.of(), List.of(), null, 0), WriteOptions.defaults());
        WriteResult segmentDelete = admin.deleteSegment("s", WriteOptions.defaults());
        assertThat(redis.execute("ZSCORE", keys.deleted(), "segment:s"))
                .isEqualTo(Long.toString(segmentDelete.version()));
        assertThat(admin.getSegment("s")).isEmpty();
    }

    @Test
    void trimmingTheDeletionLogRecordsTheTrimPoint() {
        admin.deletedLogLimit(3);
        List<Long> deleteVersions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            admin.create(Flag.killSwitch("k" + i));
            deleteVersions.add(admin.delete("k" + i).version());
        }

        assertThat(redis.execute("ZCARD", keys.deleted())).isEqualTo(3L);
        assertThat(redis.execute("ZRANGE", keys.deleted(), "0", "-1")).isEqualTo(List.of("k2", "k3", "k4"));
        assertThat(redis.execute("HGET", keys.meta(), "deletedTrimmedTo"))
                .isEqualTo(Long.toString(deleteVersions.get(1)));
        assertThat(admin.info().deletedTrimmedTo()).isEqualTo(deleteVersions.get(1));
    }

    @Test
    void historyRecordsActorReasonBeforeAndAfterNewestFirst() {
        admin.create(Flag.killSwitch("pay"), by("alice").withReason("launch"));
        admin.create(Flag.killSwitch("other"), by("alice"));
        admin.disable("pay", by("bob").withReason("INC-42"));

        List<AuditEntry> history = admin.history("pay", 10);

        assertThat(history).extracting(AuditEntry::op).containsExactly("disable", "create");
        AuditEntry disable = history.get(0);
        assertThat(disable.version()).isEqualTo(3);
        assertThat(disable.actor()).isEqualTo("bob");
        assertThat(disable.reason()).isEqualTo("INC-42");
        assertThat(disable.keys()).containsExactly("pay");
        assertThat(disable.before()).singleElement().satisfies(f -> {
            assertThat(f.enabled()).isTrue();
            assertThat(f.version()).isEqualTo(1);
        });
        assertThat(disable.after()).singleElement().satisfies(f -> {
            assertThat(f.enabled()).isFalse();
            assertThat(f.version()).isEqualTo(3);
            assertThat(f.updatedBy()).isEqualTo("bob");
            assertThat(f.updatedAt()).isEqualTo(disable.writtenAt());
        });
        assertThat(disable.after().get(0)).isEqualTo(admin.get("pay").orElseThrow());
        assertThat(history.get(1).before()).isEmpty();
        assertThat(history.get(1).reason()).isEqualTo("launch");
        assertThat(admin.history(2)).extracting(AuditEntry::version).containsExactly(3L, 2L);
        assertThat(admin.history(100)).hasSize(3);
    }

    @Test
    void historyPagesThroughLongStreams() {
        admin.create(Flag.killSwitch("busy"));
        admin.create(Flag.killSwitch("rare"));
        for (int i = 0; i < 210; i++) {
            admin.setTargets("busy", "on", List.of("u" + i), WriteOptions.defaults());
        }
        admin.disable("rare");

        assertThat(admin.history("rare", 5)).extracting(AuditEntry::op).containsExactly("disable", "create");
        assertThat(admin.history("busy", 1000)).hasSize(211);
        assertThat(admin.history(1000)).hasSize(213);
    }

    @Test
    void receiversCountIsTheNumberOfSubscribers() {
        admin.create(Flag.killSwitch("k"));
        subscribe();
        subscribe();
        subscribe();

        assertThat(admin.disable("k").receivers()).isEqualTo(3);
        assertThat(admin.info().subscribers()).isEqualTo(3);
    }

    @Test
    void readModifyWriteOperationsChangeOnlyTheirPart() {
        Flag flag = Flag.builder("color", FlagType.STRING)
                .variant("red", TextNode.valueOf("red"))
                .variant("blue", TextNode.valueOf("blue"))
                .offVariant("red")
                .fallthrough(Serve.variant("red"))
                .tags(List.of("ui"))
                .build();
        admin.create(flag);
        admin.create(Flag.killSwitch("ui-beta").toBuilder().tags(List.of("ui")).build());
        admin.create(Flag.killSwitch("api"));

        admin.setRollout(
                "color",
                List.of(new WeightedVariant("red", 90), new WeightedVariant("blue", 10)),
                WriteOptions.defaults());
        admin.setTargets("color", "blue", List.of("u1", "u2"), WriteOptions.defaults());
        WriteResult tagged = admin.setEnabledByTag("ui", true, by("eve"));

        Flag color = admin.get("color").orElseThrow();
        assertThat(color.fallthrough().rollout().variants())
                .containsExactly(new WeightedVariant("red", 90), new WeightedVariant("blue", 10));
        assertThat(color.targets()).containsEntry("blue", List.of("u1", "u2"));
        assertThat(color.enabled()).isTrue();
        assertThat(tagged.keys()).containsExactlyInAnyOrder("color", "ui-beta");
        assertThat(admin.get("ui-beta").orElseThrow().version()).isEqualTo(tagged.version());
        assertThat(admin.get("api").orElseThrow().version()).isEqualTo(3);

        assertThatThrownBy(() -> admin.setTargets("color", "green", List.of("u3"), WriteOptions.defaults()))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining("green");
        assertThatThrownBy(() ->
                        admin.setRollout("color", List.of(new WeightedVariant("red", 50)), WriteOptions.defaults()))
                .isInstanceOf(InvalidFlagException.class);
        assertThatThrownBy(() -> admin.setEnabledByTag("nobody", false, WriteOptions.defaults()))
                .isInstanceOf(FlagNotFoundException.class)
                .hasMessageContaining("tag:nobody");
        assertThatThrownBy(() -> admin.enable("missing")).isInstanceOf(FlagNotFoundException.class);
        assertThat(version()).isEqualTo(Long.toString(tagged.version()));
    }

    @Test
    void instancesSkipsAndPrunesDeadEntries() {
        long now = Instant.now().toEpochMilli();
        redis.execute("HSET", keys.clients(), "checkout-2", presence("checkout", "checkout-2", now, 41));
        redis.execute("HSET", keys.clients(), "api-1", presence("api", "api-1", now - 1_000, 42));
        redis.execute("HSET", keys.clients(), "checkout-1", presence("checkout", "checkout-1", now, 42));
        redis.execute("HSET", keys.clients(), "dead-1", presence("api", "dead-1", now - 60_000, 40));
        redis.execute("HSET", keys.clients(), "junk", "not json");

        List<ServiceInstance> live = admin.instances(Duration.ofSeconds(15));

        assertThat(live).extracting(ServiceInstance::instance).containsExactly("api-1", "checkout-1", "checkout-2");
        assertThat(live.get(0).appliedVersion()).isEqualTo(42);
        assertThat(live.get(0).host()).isEqualTo("h1");
        assertThat(live.get(0).heartbeat()).isEqualTo(Instant.ofEpochMilli(now - 1_000));
        assertThat(redis.execute("HEXISTS", keys.clients(), "dead-1")).isEqualTo(0L);
        assertThat(redis.execute("HEXISTS", keys.clients(), "junk")).isEqualTo(1L);
        assertThat(admin.instances()).hasSize(3);
    }

    private static String presence(String service, String instance, long heartbeat, long version) {
        return "{\"service\":\"" + service + "\",\"instance\":\"" + instance + "\",\"host\":\"h1\",\"appliedVersion\":"
                + version + ",\"appliedAt\":" + heartbeat + ",\"heartbeat\":" + heartbeat + ",\"started\":"
                + (heartbeat - 5_000) + "}";
    }

    @Test
    void infoSummarisesTheNamespace() {
        NamespaceInfo empty = admin.info();
        assertThat(empty.version()).isZero();
        assertThat(empty.epoch()).isNull();

        admin.create(Flag.killSwitch("a"));
        admin.create(Flag.killSwitch("b"));
        NamespaceInfo info = admin.info();

        assertThat(info.namespace()).isEqualTo(keys.namespace());
        assertThat(info.version()).isEqualTo(2);
        assertThat(info.epoch()).isEqualTo(redis.execute("HGET", keys.meta(), "epoch"));
        assertThat(info.createdAt()).isNotNull();
        assertThat(info.flagCount()).isEqualTo(2);
        assertThat(info.segmentCount()).isZero();
        assertThat(info.redisVersion()).matches("\\d+\\.\\d+.*");
        assertThat(info.subscribers()).isZero();
    }

    @Test
    void writesWorkAfterTheScriptCacheIsFlushed() {
        admin.create(Flag.killSwitch("a"));
        redis.execute("SCRIPT", "FLUSH");

        assertThat(admin.disable("a").version()).isEqualTo(2);
    }

    @Test
    void corruptStoredFlagIsReportedAndCanBeRepaired() {
        admin.create(Flag.killSwitch("k"));
        redis.execute("HSET", keys.flag("k"), "rules", "[{oops");

        assertThatThrownBy(() -> admin.get("k"))
                .isInstanceOf(InvalidFlagException.class)
                .hasMessageContaining(keys.flag("k"))
                .hasMessageContaining("rules");
        assertThat(admin.list()).isEmpty();

        admin.update(Flag.killSwitch("k"));
        assertThat(admin.get("k").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void namespacesAreIsolated() {
        FlagAdmin other = admin(redis.uniqueNamespace());
        admin.create(Flag.killSwitch("k"));

        assertThat(other.get("k")).isEmpty();
        assertThat(other.create(Flag.killSwitch("k")).version()).isEqualTo(1);
    }

    @Test
    void aclRefusalNamesTheCommandAndTheAdminRole() {
        admin.create(Flag.killSwitch("k"));
        redis.execute("ACL", "SETUSER", "reader", "on", ">reader-pw", "~flagstore:*", "&*", "+@read", "+@connection");
        try {
            FlagAdmin reader = connectAs("reader", "reader-pw");

            assertThat(reader.get("k")).isPresent();
            assertThatThrownBy(() -> reader.disable("k"))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("needs the admin role")
                    .hasMessageContaining("EVALSHA")
                    .hasMessageNotContaining("reader-pw");
        } finally {
            redis.execute("ACL", "DELUSER", "reader");
        }
    }

    @Test
    void theDocumentedAdminAclIsEnoughForEveryOperation() {
        // a broad admin ACL; the narrower one of docs/operations.md, "Access control", is checked by AccessControlIT
        redis.execute(
                "ACL",
                "SETUSER",
                "flag-admin",
                "on",
                ">admin-pw",
                "~flagstore:*",
                "&flagstore:*",
                "+@read",
                "+@write",
                "+@scripting",
                "+@pubsub",
                "+@connection",
                "+info",
                "+time");
        try {
            FlagAdmin limited = connectAs("flag-admin", "admin-pw");
            redis.execute("HSET", keys.clients(), "dead", presence("api", "dead", 1, 1));

            limited.create(Flag.killSwitch("k"));
            limited.disable("k");
            limited.apply(Batch.builder().delete("k").build(), WriteOptions.defaults());
            assertThat(limited.list()).isEmpty();
            assertThat(limited.history(10)).hasSize(3);
            assertThat(limited.info().version()).isEqualTo(3);
            assertThat(limited.instances()).isEmpty();
            assertThat(redis.execute("HLEN", keys.clients())).isEqualTo(0L);
        } finally {
            redis.execute("ACL", "DELUSER", "flag-admin");
        }
    }

    @Test
    void wrongPasswordAndUnreachableServerAreStoreUnavailableWithoutCredentials() {
        assertThatThrownBy(() -> FlagAdmin.connect(RedisOptions.builder()
                        .uri(redis.uri().replace("redis://", "redis://nobody:secret-pw@"))
                        .build()))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageNotContaining("secret-pw");
        assertThatThrownBy(() -> FlagAdmin.connect(RedisOptions.builder()
                        .uri("redis://u:secret-pw@127.0.0.1:1")
                        .connectTimeout(Duration.ofSeconds(1))
                        .build()))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("redis://u:***@127.0.0.1:1")
                .hasMessageNotContaining("secret-pw");
    }

    @Test
    void writesFailFastWhileRedisIsDownAndWorkAgainAfterwards() {
        admin.create(Flag.killSwitch("k"));
        redis.stop();
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(() -> admin.disable("k"))
                    .isInstanceOf(StoreUnavailableException.class));
        } finally {
            redis.start();
        }
        // the same admin reconnects by itself (to a server that lost its data: no persistence here)
        await().atMost(Duration.ofSeconds(15))
                .ignoreException(StoreUnavailableException.class)
                .untilAsserted(() ->
                        assertThat(admin.create(Flag.killSwitch("k")).version()).isEqualTo(1));
    }

    @Test
    void anAdminReconnectsWithinAboutASecondOfRedisReturningAfterALongOutage() throws InterruptedException {
        admin.create(Flag.killSwitch("k"));
        redis.stop();
        try {
            // The outage itself: long enough for Lettuce's default backoff to have grown to 4-8 s
            // between attempts; the admin's own policy retries at least every second.
            Thread.sleep(6_000);
        } finally {
            redis.start();
        }
        long restarted = System.nanoTime();
        await().atMost(Duration.ofMillis(2_500))
                .pollInterval(Duration.ofMillis(50))
                .ignoreException(StoreUnavailableException.class)
                .untilAsserted(() ->
                        assertThat(admin.create(Flag.killSwitch("k")).version()).isEqualTo(1));
        assertThat(Duration.ofNanos(System.nanoTime() - restarted)).isLessThan(Duration.ofMillis(2_500));
    }

    private static Map<?, ?> hgetall(String key) {
        List<?> flat = (List<?>) redis.execute("HGETALL", key);
        Map<Object, Object> out = new HashMap<>();
        for (int i = 0; i < flat.size(); i += 2) {
            out.put(flat.get(i), flat.get(i + 1));
        }
        return out;
    }
}
