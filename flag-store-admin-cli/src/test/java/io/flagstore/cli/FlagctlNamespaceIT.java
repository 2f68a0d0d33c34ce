package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.testing.DocumentedAcl;
import io.flagstore.redis.testing.DocumentedAcl.Role;
import io.flagstore.redis.testing.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code flagctl namespace list|drop} against a real Redis. */
class FlagctlNamespaceIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private String namespace;
    private Map<String, String> env;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    @BeforeEach
    void namespace() {
        namespace = redis.uniqueNamespace();
        env = Cli.env(redis.uri(), namespace);
        client = RedisClient.create(redis.uri());
        connection = client.connect();
    }

    @AfterEach
    void close() {
        connection.close();
        client.shutdown();
    }

    private Cli.Result run(String... args) {
        return Cli.run(env, Cli.NO_TERMINAL, args);
    }

    private Cli.Result ok(String... args) {
        return Cli.ok(env, args);
    }

    private List<String> keys() {
        return connection.sync().keys("flagstore:{" + namespace + "}:*");
    }

    @Test
    void listShowsEveryWrittenNamespaceWithItsCounts() {
        String other = redis.uniqueNamespace();
        ok("create", "a");
        ok("create", "b", "--enabled");
        Cli.ok(Cli.env(redis.uri(), other), "create", "c");

        JsonNode list = ok("namespace", "list", "--json").json().get("namespaces");
        JsonNode mine = find(list, namespace);
        assertThat(mine.get("flags").asLong()).isEqualTo(2);
        assertThat(mine.get("version").asLong()).isEqualTo(2);
        assertThat(find(list, other).get("flags").asLong()).isEqualTo(1);
        assertThat(ok("namespace", "list").out()).contains("NAMESPACE", namespace, other);
    }

    @Test
    void dropNeedsYesAndAReasonAndWritesNothingWithoutThem() {
        ok("create", "a");
        List<String> before = keys();

        Cli.Result noYes = run("namespace", "drop", namespace, "--reason", "cleanup");
        assertThat(noYes.exitCode()).as(noYes.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noYes.err()).contains("--yes", "nothing written");
        Cli.Result noReason = run("namespace", "drop", namespace, "--yes");
        assertThat(noReason.exitCode()).as(noReason.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noReason.err()).contains("--reason");

        assertThat(keys()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void dropRemovesEverythingButTheHistoryAndCanRunAgain() {
        ok("create", "a", "--enabled");
        ok("create", "b");
        ok("disable", "a", "--no-wait", "--reason", "INC-1");

        JsonNode dropped = ok("namespace", "drop", namespace, "--yes", "--reason", "test over", "--json")
                .json();
        assertThat(dropped.get("deleted")).extracting(JsonNode::asText).containsExactlyInAnyOrder("a", "b");
        assertThat(keys()).containsExactly("flagstore:{" + namespace + "}:audit");
        assertThat(ok("namespace", "list", "--json").json().get("namespaces"))
                .extracting(n -> n.get("name").asText())
                .doesNotContain(namespace);

        JsonNode last =
                ok("history", "--limit", "1", "--json").json().get("entries").get(0);
        assertThat(last.get("reason").asText()).isEqualTo("test over");
        assertThat(last.get("keys")).extracting(JsonNode::asText).containsExactlyInAnyOrder("a", "b");

        assertThat(ok("namespace", "drop", namespace, "--yes", "--reason", "again")
                        .out())
                .contains("no flags or segments left");
        assertThat(keys()).containsExactly("flagstore:{" + namespace + "}:audit");
    }

    @Test
    void dropIsRefusedWhileAServiceIsLiveUnlessForced() {
        ok("create", "a", "--enabled");
        AtomicBoolean loaded = new AtomicBoolean();
        try (RedisFlagSource source = RedisFlagSource.builder()
                .options(RedisOptions.builder()
                        .uri(redis.uri())
                        .namespace(namespace)
                        .build())
                .serviceName("checkout")
                .instanceId("checkout-1")
                .build()) {
            source.start(new FlagSink() {
                @Override
                public void init(FlagData data) {
                    loaded.set(true);
                }

                @Override
                public void apply(FlagUpdate update) {}

                @Override
                public void stateChanged(SourceState state, String message) {}
            });
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ok("status").out().contains("checkout-1"));

            Cli.Result refused = run("namespace", "drop", namespace, "--yes", "--reason", "cleanup");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.ERROR);
            assertThat(refused.err()).contains("live", "checkout", "--force");
            assertThat(keys()).contains("flagstore:{" + namespace + "}:flag:a");

            ok("namespace", "drop", namespace, "--yes", "--reason", "cleanup", "--force");
            assertThat(keys()).doesNotContain("flagstore:{" + namespace + "}:flag:a");
        }
        assertThat(loaded).isTrue();
    }

    @Test
    void theServiceRoleCannotDrop() {
        ok("create", "a");
        String uri = DocumentedAcl.create(redis, Role.SERVICE, namespace, "svc-" + namespace, "service-pw");
        Cli.Result refused = Cli.run(
                Map.of(Flagctl.ENV_REDIS, uri, Flagctl.ENV_NAMESPACE, namespace),
                Cli.NO_TERMINAL,
                "namespace",
                "drop",
                namespace,
                "--yes",
                "--reason",
                "x");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(keys()).contains("flagstore:{" + namespace + "}:flag:a", "flagstore:{" + namespace + "}:version");
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode n : list) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError(name + " not in " + list);
    }
}
