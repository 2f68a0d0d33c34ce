package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagstore.core.model.Flag;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.testing.DirectConnection;
import io.flagstore.redis.testing.DocumentedAcl;
import io.flagstore.redis.testing.DocumentedAcl.Role;
import io.flagstore.redis.testing.RedisServerExtension;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source's read functions on a real redis-server: loaded when missing (by the source itself
 * when its user may), replaced by an upgrade that keeps the two releases before it, and a clear
 * error naming the fix when a user that may not load them finds them missing.
 */
class FunctionLibraryIT {
    private static final LuaScript HEAD = LuaScript.load("source-head.lua");

    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private String namespace;
    private KeySchema keys;

    @BeforeEach
    void noLibrary() {
        namespace = redis.uniqueNamespace();
        keys = KeySchema.of(namespace);
        redis.execute("FUNCTION", "FLUSH", "SYNC");
        redis.execute("SET", keys.version(), "7");
        redis.execute("HSET", keys.meta(), "epoch", "e1", "origin", "seed");
    }

    @Test
    void aReaderWhoseUserMayLoadTheLibraryLoadsItWhenMissingAndRunsItsFunctions() {
        DirectConnection.with(redis.uri(), redis -> {
            List<Object> head =
                    HEAD.runReadOnly(redis, ScriptOutputType.MULTI, new String[] {keys.version(), keys.meta()});

            assertThat(head).containsExactly(7L, "e1", "seed");
            assertThat(redis.functionList(FunctionLibrary.NAME)).hasSize(1);
            assertThat(FunctionLibrary.READS.ensureLoaded(redis, keys.version()))
                    .as("already loaded: nothing to do")
                    .isFalse();
        });
    }

    @Test
    void everyFunctionIsRegisteredAsNoWrites() {
        DirectConnection.with(redis.uri(), redis -> {
            FunctionLibrary.READS.ensureLoaded(redis, keys.version());

            String listing = redis.functionList(FunctionLibrary.NAME).toString();
            for (String script : FunctionLibrary.READ_SCRIPTS) {
                String function = FunctionLibrary.READS.functionName(LuaScript.load(script));
                assertThat(listing).containsPattern("name=" + function + ",[^}]*flags=\\[no-writes]");
            }
        });
    }

    @Test
    void anUpgradeReplacesTheLibraryKeepingTheTwoReleasesBeforeIt() {
        FunctionLibrary oldest = new FunctionLibrary(List.of("source-head.lua"));
        FunctionLibrary older = new FunctionLibrary(List.of("source-page.lua", "source-head.lua"));
        FunctionLibrary previous = new FunctionLibrary(List.of("source-sync.lua", "source-head.lua"));
        String[] headKeys = {keys.version(), keys.meta()};
        DirectConnection.with(redis.uri(), redis -> {
            for (FunctionLibrary release : List.of(oldest, older, previous, FunctionLibrary.READS)) {
                assertThat(release.ensureLoaded(redis, keys.version())).isTrue();
            }
            assertThat(FunctionLibrary.READS.ensureLoaded(redis, keys.version()))
                    .isFalse();

            assertThat(redis.functionList(FunctionLibrary.NAME))
                    .as("one library")
                    .hasSize(1);
            for (FunctionLibrary kept : List.of(FunctionLibrary.READS, previous, older)) {
                List<Object> head = redis.fcallReadOnly(kept.functionName(HEAD), ScriptOutputType.MULTI, headKeys);
                assertThat(head).as(kept.release()).containsExactly(7L, "e1", "seed");
            }
            assertThatThrownBy(() -> redis.fcallReadOnly(oldest.functionName(HEAD), ScriptOutputType.MULTI, headKeys))
                    .as("three releases back: gone")
                    .isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageContaining("Function not found");

            // an older release loading again (a service of it with load rights) brings itself back, the newest stays
            assertThat(oldest.ensureLoaded(redis, keys.version())).isTrue();
            assertThat((List<Object>) redis.fcallReadOnly(
                            FunctionLibrary.READS.functionName(HEAD), ScriptOutputType.MULTI, headKeys))
                    .containsExactly(7L, "e1", "seed");
        });
    }

    @Test
    void aServiceUserOfAnAclFromBeforeTheFunctionsStillReadsWithEvalshaReadOnly() {
        String user = "old-svc-" + namespace;
        String serviceUri = DocumentedAcl.create(redis, Role.SERVICE, namespace, user, "service-pw");
        redis.execute("ACL", "SETUSER", user, "-fcall_ro", "+evalsha_ro", "+eval_ro");

        DirectConnection.with(serviceUri, service -> assertThat((List<Object>)
                        HEAD.runReadOnly(service, ScriptOutputType.MULTI, new String[] {keys.version(), keys.meta()}))
                .containsExactly(7L, "e1", "seed"));
    }

    @Test
    void aServiceUserFindingTheLibraryMissingIsToldToConnectTheAdminRoleWhichLoadsIt() {
        String serviceUri = DocumentedAcl.create(redis, Role.SERVICE, namespace, "svc-" + namespace, "service-pw");
        String adminUri = DocumentedAcl.create(redis, Role.ADMIN, namespace, "adm-" + namespace, "admin-pw");
        String[] headKeys = {keys.version(), keys.meta()};

        DirectConnection.with(serviceUri, service -> assertThatThrownBy(
                        () -> HEAD.runReadOnly(service, ScriptOutputType.MULTI, headKeys))
                .isInstanceOf(RedisException.class)
                .hasMessageContaining("Redis has no function " + FunctionLibrary.READS.functionName(HEAD))
                .hasMessageContaining("run any flagctl command of this release with the admin user")
                .hasMessageNotContaining("NOPERM"));

        RedisOptions admin =
                RedisOptions.builder().uri(adminUri).namespace(namespace).build();
        try (FlagAdmin ignored = FlagAdmin.connect(admin)) {
            ignored.create(Flag.killSwitch("payments-api"));
        }

        DirectConnection.with(serviceUri, service -> assertThat(
                        (List<Object>) HEAD.runReadOnly(service, ScriptOutputType.MULTI, headKeys))
                .containsExactly(8L, "e1", "seed"));
    }
}
