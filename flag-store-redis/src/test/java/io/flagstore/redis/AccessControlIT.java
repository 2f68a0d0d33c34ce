package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.ClientState;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.metrics.MetricsOptions;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.internal.FunctionLibrary;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.internal.LuaScript;
import io.flagstore.redis.testing.DirectConnection;
import io.flagstore.redis.testing.DocumentedAcl;
import io.flagstore.redis.testing.DocumentedAcl.Role;
import io.flagstore.redis.testing.RedisServerExtension;
import io.lettuce.core.FlushMode;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two roles of docs/operations.md, "Access control", exactly as documented, on a real
 * ACL-enabled redis-server: the service user reads, subscribes and heartbeats but cannot write a
 * flag by any route; the admin user does everything.
 */
class AccessControlIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private String namespace;
    private KeySchema keys;
    private String serviceUri;
    private String adminUri;
    private FlagAdmin admin;

    @BeforeEach
    void users() {
        namespace = redis.uniqueNamespace();
        keys = KeySchema.of(namespace);
        serviceUri = DocumentedAcl.create(redis, Role.SERVICE, namespace, "svc-" + namespace, "service-pw");
        adminUri = DocumentedAcl.create(redis, Role.ADMIN, namespace, "adm-" + namespace, "admin-pw");
        admin = open(FlagAdmin.connect(options(adminUri)));
        admin.create(Flag.killSwitch("payments-api").toBuilder()
                .tags(List.of("payments"))
                .build());
        admin.create(Flag.booleanFlag("new-checkout").enabled(true).build());
        admin.putSegment(new Segment("staff", null, List.of("alice"), List.of(), List.of(), null, 0), opts());
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T open(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private RedisOptions options(String uri) {
        return RedisOptions.builder().uri(uri).namespace(namespace).build();
    }

    private static WriteOptions opts() {
        return WriteOptions.defaults().withReason("acl test");
    }

    @Test
    void aServiceUserLoadsEvaluatesHeartbeatsAndReceivesPushes() {
        RedisFlagSource source = RedisFlagSource.builder()
                .options(options(serviceUri))
                .serviceName("checkout")
                .loadPageSize(1) // the load's pages, each declaring the hashes it reads, are allowed too
                .build();
        FlagClient client = open(FlagClient.builder()
                .source(source)
                .metricsOptions(MetricsOptions.builder()
                        .usageInterval(Duration.ofMillis(100))
                        .build())
                .build());
        EvaluationContext ctx = EvaluationContext.of("user-1");

        await().atMost(Duration.ofSeconds(10)).until(() -> client.health().state() == ClientState.READY);
        assertThat(client.boolValue("payments-api", ctx, false)).isTrue();
        assertThat(redis.execute("HEXISTS", keys.clients(), source.instanceId()))
                .as("the service user writes its presence entry")
                .isEqualTo(1L);
        await().atMost(Duration.ofSeconds(5))
                .alias("the service user records flag usage")
                .until(() -> Long.valueOf(1).equals(redis.execute("HEXISTS", keys.usage(), "payments-api|checkout")));

        long written = admin.disable("payments-api", opts()).version();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(client.boolValue("payments-api", ctx, true)).isFalse();
            assertThat(client.health().appliedVersion()).isEqualTo(written);
        });
        assertThat(client.health().state()).isEqualTo(ClientState.READY);
    }

    @Test
    void everyWriteThroughAServiceUserIsRefusedNamingTheAdminRoleAndWritesNothing() {
        FlagAdmin service = open(FlagAdmin.connect(options(serviceUri)));
        Flag current = service.get("new-checkout").orElseThrow();
        Map<String, Object> before = namespaceState();

        Map<String, ThrowingCallable> writes = new LinkedHashMap<>();
        writes.put("create", () -> service.create(Flag.killSwitch("other"), opts()));
        writes.put(
                "update",
                () -> service.update(current.toBuilder().description("x").build(), opts()));
        writes.put("enable", () -> service.enable("payments-api", opts()));
        writes.put("disable", () -> service.disable("payments-api", opts()));
        writes.put("setEnabledByTag", () -> service.setEnabledByTag("payments", false, opts()));
        writes.put(
                "setRollout",
                () -> service.setRollout(
                        "new-checkout",
                        List.of(new WeightedVariant("on", 50), new WeightedVariant("off", 50)),
                        opts()));
        writes.put("setTargets", () -> service.setTargets("new-checkout", "off", List.of("bob"), opts()));
        writes.put("delete", () -> service.delete("new-checkout", opts()));
        writes.put(
                "putSegment",
                () -> service.putSegment(
                        new Segment("beta", null, List.of("x"), List.of(), List.of(), null, 0), opts()));
        writes.put("deleteSegment", () -> service.deleteSegment("staff", opts()));
        writes.put(
                "apply",
                () -> service.apply(
                        Batch.builder()
                                .put(Flag.killSwitch("b1"))
                                .delete("payments-api")
                                .build(),
                        opts()));

        writes.forEach((name, write) -> assertThatThrownBy(write)
                .as(name)
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("needs the admin role")
                .hasMessageNotContaining("service-pw")
                .satisfies(e ->
                        assertThat(((AccessDeniedException) e).requiredRole()).isEqualTo("admin")));
        assertThat(namespaceState()).as("Redis unchanged").isEqualTo(before);
    }

    @Test
    void aServiceUserReadsEverythingAnOperatorReadsThroughTheAdminLibrary() {
        FlagAdmin service = open(FlagAdmin.connect(options(serviceUri)));
        addDeadInstance();

        assertThat(service.list()).extracting(Flag::key).containsExactly("new-checkout", "payments-api");
        assertThat(service.get("payments-api")).isPresent();
        assertThat(service.segments()).extracting(Segment::key).containsExactly("staff");
        assertThat(service.info().version()).isEqualTo(3);
        assertThat(service.info().redisVersion())
                .as("no INFO for the service role")
                .isEqualTo("unknown");
        assertThat(service.history(10)).hasSize(3);
        assertThat(service.instances())
                .as("a dead entry is left out even when it cannot be pruned")
                .isEmpty();
    }

    @Test
    void aServiceUserCannotWriteFlagKeysPublishOrRunAWritingScriptDirectly() {
        DirectConnection.with(serviceUri, redis -> {
            assertRefused(() -> redis.hset(keys.flag("payments-api"), "enabled", "false"));
            assertRefused(() -> redis.incr(keys.version()));
            assertRefused(() -> redis.del(keys.flag("payments-api")));
            assertRefused(() -> redis.publish(keys.changes(), "{\"v\":99}"));
            assertRefused(() -> redis.eval(
                    "return redis.call('HSET', KEYS[1], 'enabled', 'false')",
                    ScriptOutputType.INTEGER,
                    keys.flag("payments-api")));
            assertRefused(() -> LuaScript.WRITE.run(redis, ScriptOutputType.MULTI, new String[] {keys.version()}));
            assertThatThrownBy(() -> redis.evalReadOnly(
                            "return redis.call('HSET', KEYS[1], 'enabled', 'false')",
                            ScriptOutputType.INTEGER,
                            new String[] {keys.flag("payments-api")}))
                    .as("a write inside a read-only script")
                    .isInstanceOf(RedisException.class);
            assertRefused(() -> redis.get("flagstore:{other-ns}:version"));
            assertRefused(() -> redis.flushall());
            assertThat(redis.hset(keys.clients(), "me", "{}")).isTrue();
        });
        assertThat(redis.execute("HGET", keys.flag("payments-api"), "enabled")).isEqualTo("true");
        assertThat(redis.execute("GET", keys.version())).isEqualTo("3");
    }

    @Test
    void aServiceUserRunsTheReadFunctionsButNoOtherLuaSoItCannotStallRedis() {
        String endless = "while true do end";
        DirectConnection.with(serviceUri, redis -> {
            List<Object> head = redis.fcallReadOnly(
                    FunctionLibrary.READS.functionName(LuaScript.load("source-head.lua")),
                    ScriptOutputType.MULTI,
                    keys.version(),
                    keys.meta());
            assertThat(head.get(0)).as("the version, read by the service user").isEqualTo(3L);

            assertRefused(() -> redis.evalReadOnly(endless, ScriptOutputType.INTEGER, new String[0]));
            assertRefused(() -> redis.eval(endless, ScriptOutputType.INTEGER));
            assertRefused(() -> redis.scriptLoad(endless));
            assertRefused(() -> redis.evalshaReadOnly(
                    LuaScript.load("source-head.lua").sha1(), ScriptOutputType.MULTI, new String[] {keys.version()}));
            assertRefused(() -> redis.functionLoad("#!lua name=stall\nredis.register_function{function_name='stall',"
                    + " flags={'no-writes'}, callback=function() " + endless + " end}"));
            assertRefused(() -> redis.functionFlush(FlushMode.SYNC));
        });
        assertThat(redis.execute("PING")).as("Redis is not busy").isEqualTo("PONG");
        DirectConnection.with(adminUri, redis -> {
            assertRefused(() -> redis.functionFlush(FlushMode.SYNC));
            assertRefused(() -> redis.dispatch(
                    CommandType.FUNCTION,
                    new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("DELETE").add(FunctionLibrary.NAME)));
        });
        assertThat(redis.execute("FUNCTION", "LIST", "LIBRARYNAME", FunctionLibrary.NAME))
                .as("the admin user cannot remove the services' functions either")
                .asList()
                .hasSize(1);
    }

    @Test
    void theAdminUserDoesEveryOperation() {
        admin.disable("payments-api", opts());
        admin.enable("payments-api", opts());
        admin.setEnabledByTag("payments", false, opts());
        admin.setRollout(
                "new-checkout", List.of(new WeightedVariant("on", 25), new WeightedVariant("off", 75)), opts());
        admin.setTargets("new-checkout", "on", List.of("alice"), opts());
        Flag checkout = admin.get("new-checkout").orElseThrow();
        admin.update(checkout.toBuilder().description("updated").build(), opts());
        admin.apply(
                Batch.builder()
                        .put(Flag.killSwitch("b1"))
                        .delete("payments-api")
                        .build(),
                opts());
        admin.deleteSegment("staff", opts());
        admin.delete("b1", opts());
        addDeadInstance();

        assertThat(admin.instances()).isEmpty();
        assertThat(redis.execute("HEXISTS", keys.clients(), "dead-1"))
                .as("pruned")
                .isEqualTo(0L);
        assertThat(admin.info().version()).isEqualTo(12);
        assertThat(admin.info().redisVersion()).startsWith("7.");
        assertThat(admin.history(20)).hasSize(12);
        assertThat(admin.list()).extracting(Flag::key).containsExactly("new-checkout");
        DirectConnection.with(adminUri, redis -> assertRefused(redis::flushall));
    }

    /** A presence entry whose last heartbeat is decades old: {@code instances()} leaves it out and prunes it. */
    private void addDeadInstance() {
        redis.execute(
                "HSET",
                keys.clients(),
                "dead-1",
                "{\"service\":\"x\",\"instance\":\"dead-1\",\"host\":\"h\","
                        + "\"appliedVersion\":1,\"appliedAt\":1,\"heartbeat\":1,\"started\":1}");
    }

    /** What a refused write must leave untouched: every key of the namespace, compared by value. */
    private Map<String, Object> namespaceState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("version", redis.execute("GET", keys.version()));
        state.put("flags", redis.execute("ZRANGE", keys.flags(), "0", "-1", "WITHSCORES"));
        state.put("segments", redis.execute("ZRANGE", keys.segments(), "0", "-1", "WITHSCORES"));
        state.put("deleted", redis.execute("ZRANGE", keys.deleted(), "0", "-1", "WITHSCORES"));
        state.put("audit", redis.execute("XLEN", keys.audit()));
        state.put("meta", redis.execute("HGETALL", keys.meta()));
        for (String key : List.of("payments-api", "new-checkout", "other", "b1")) {
            state.put(key, redis.execute("HGETALL", keys.flag(key)));
        }
        state.put("segment:staff", redis.execute("HGETALL", keys.segment("staff")));
        state.put("segment:beta", redis.execute("HGETALL", keys.segment("beta")));
        return state;
    }

    private static void assertRefused(ThrowingCallable command) {
        assertThatThrownBy(command).isInstanceOf(RedisException.class).hasMessageMatching("(?s).*(NOPERM|can't run).*");
    }
}
