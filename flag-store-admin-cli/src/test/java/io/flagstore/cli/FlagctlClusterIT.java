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
import io.flagstore.redis.testing.RedisClusterExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** flagctl with {@code --redis redis-cluster://...} against a real three-master Redis Cluster. */
class FlagctlClusterIT {
    @RegisterExtension
    static RedisClusterExtension cluster = new RedisClusterExtension();

    private String namespace;
    private Map<String, String> env;

    @BeforeEach
    void namespace() {
        namespace = cluster.uniqueNamespace();
        env = Map.of(Flagctl.ENV_NAMESPACE, namespace);
    }

    /** Runs with the cluster named on the command line, as an operator would type it. */
    private Cli.Result ok(String... args) {
        String[] withRedis = new String[args.length + 1];
        withRedis[0] = args[0];
        withRedis[1] = "--redis=" + cluster.uri();
        System.arraycopy(args, 1, withRedis, 2, args.length - 1);
        return Cli.ok(env, withRedis);
    }

    @Test
    void createEnableDisableListGetAndStatusWorkAgainstACluster() {
        assertThat(ok("create", "payments-api", "--tag", "payments").out()).startsWith("created payments-api");
        ok("create", "checkout", "--no-wait");
        ok("disable", "payments-api", "--reason", "INC-1", "--no-wait");

        assertThat(ok("get", "payments-api", "--json")
                        .json()
                        .get("flag")
                        .get("enabled")
                        .asBoolean())
                .isFalse();
        assertThat(ok("list", "--json").json().findValuesAsText("key")).containsExactly("checkout", "payments-api");
        ok("enable", "payments-api", "--no-wait");
        JsonNode status = ok("status", "--json").json();
        assertThat(status.get("version").asLong()).isEqualTo(4);
        assertThat(status.get("serverVersion").asText()).startsWith("7.");
    }

    @Test
    void waitSeesServiceInstancesAndWatchGetsShardedPushes() throws InterruptedException {
        ok("create", "payments-api");
        try (RedisFlagSource source = startSource()) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ok("status").out().contains(source.instanceId()));
            StringWriter out = new StringWriter();
            AtomicReference<Integer> watchExit = new AtomicReference<>();
            Thread watcher = new Thread(() -> watchExit.set(Flagctl.commandLine(env, Cli.NO_TERMINAL)
                    .setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(new StringWriter(), true))
                    .execute("watch", "--redis", cluster.uri(), "--count", "1", "--json")));
            watcher.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("\"init\""));

            long written = ok("disable", "payments-api", "--no-wait", "--json")
                    .json()
                    .get("version")
                    .asLong();
            watcher.join(10_000);
            assertThat(watchExit.get()).as("watch saw the change and ended").isZero();
            List<JsonNode> changes = out.toString()
                    .lines()
                    .map(Json::read)
                    .filter(n -> n.get("event").asText().equals("change"))
                    .toList();
            assertThat(changes).hasSize(1);
            assertThat(changes.get(0).get("version").asLong()).isEqualTo(written);

            JsonNode enabled = ok("enable", "payments-api", "--wait", "--json").json();
            assertThat(enabled.get("wait").get("complete").asBoolean()).isTrue();
            assertThat(enabled.get("wait").get("confirmed"))
                    .extracting(n -> n.get("instance").asText())
                    .containsExactly(source.instanceId());
            assertThat(enabled.get("receivers").asLong())
                    .as("SPUBLISH reached the source")
                    .isEqualTo(1);
        }
    }

    private RedisFlagSource startSource() {
        RedisFlagSource source = RedisFlagSource.builder()
                .options(RedisOptions.builder()
                        .uri(cluster.uri())
                        .namespace(namespace)
                        .build())
                .serviceName("checkout")
                .instanceId("checkout-1")
                .build();
        source.start(new FlagSink() {
            @Override
            public void init(FlagData data) {}

            @Override
            public void apply(FlagUpdate update) {}

            @Override
            public void stateChanged(SourceState state, String message) {}
        });
        return source;
    }
}
