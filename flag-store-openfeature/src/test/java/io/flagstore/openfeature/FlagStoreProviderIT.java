package io.flagstore.openfeature;

import static io.flagstore.openfeature.TestFlags.jsonFlag;
import static io.flagstore.openfeature.TestFlags.numberFlag;
import static io.flagstore.openfeature.TestFlags.stringFlag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.testing.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OpenFeature application as the OpenFeature docs show it, against a real Redis: flags written
 * with {@link FlagAdmin} (what {@code flagctl} uses), read through {@link RedisFlagSource}.
 */
class FlagStoreProviderIT {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension().withAof();

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    private final List<EventDetails> changes = new CopyOnWriteArrayList<>();
    private final List<EventDetails> stale = new CopyOnWriteArrayList<>();
    private RedisOptions options;
    private FlagAdmin admin;
    private Client client;

    @BeforeEach
    void setUp() {
        options = RedisOptions.builder()
                .uri(REDIS.uri())
                .namespace(REDIS.uniqueNamespace())
                .build();
        admin = FlagAdmin.connect(options);
        admin.create(Flag.killSwitch("checkout").toBuilder()
                .tags(List.of("payments"))
                .build());
        admin.create(
                Flag.killSwitch("refunds").toBuilder().tags(List.of("payments")).build());
        admin.create(stringFlag("theme").build());
        admin.create(numberFlag("limit", 25));
        admin.create(jsonFlag("config", "{\"retries\":3,\"hosts\":[\"a\",\"b\"]}"));

        api.setProviderAndWait(FlagStoreProvider.builder()
                .source(RedisFlagSource.builder()
                        .options(options)
                        .serviceName("openfeature-it")
                        .build())
                .build());
        client = api.getClient();
        client.onProviderConfigurationChanged(changes::add);
        client.onProviderStale(stale::add);
    }

    @AfterEach
    void tearDown() {
        api.shutdown();
        admin.close();
    }

    @Test
    void evaluatesEveryTypeFromRedis() {
        ImmutableContext user = new ImmutableContext("user-42", Map.of("country", new Value("DE")));

        FlagEvaluationDetails<Boolean> checkout = client.getBooleanDetails("checkout", false, user);
        assertThat(checkout.getValue()).isTrue();
        assertThat(checkout.getReason()).isEqualTo(Reason.STATIC.name());
        assertThat(checkout.getFlagMetadata().getString("tags")).isEqualTo("payments");
        assertThat(client.getStringValue("theme", "x", user)).isEqualTo("alpha");
        assertThat(client.getIntegerValue("limit", 0, user)).isEqualTo(25);
        assertThat(client.getDoubleValue("limit", 0.0, user)).isEqualTo(25.0);
        assertThat(client.getLongValue("limit", 0L, user)).isEqualTo(25L);
        Value config = client.getObjectValue("config", new Value(), user);
        assertThat(config.asStructure().getValue("retries").asInteger()).isEqualTo(3);
        assertThat(config.asStructure().getValue("hosts").asList())
                .extracting(Value::asString)
                .containsExactly("a", "b");
    }

    @Test
    void flippingAFlagThroughFlagAdminIsAConfigurationChangedEventWithItsKey() {
        admin.disable("checkout", WriteOptions.defaults().withReason("INC-42"));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(changes)
                .singleElement()
                .satisfies(event -> assertThat(event.getFlagsChanged()).containsExactly("checkout")));
        FlagEvaluationDetails<Boolean> checkout = client.getBooleanDetails("checkout", true);
        assertThat(checkout.getValue()).isFalse();
        assertThat(checkout.getReason()).isEqualTo(Reason.DISABLED.name());
    }

    @Test
    void flippingAFlagWithFlagctlIsAConfigurationChangedEventWithItsKey(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("flagctl.txt");
        Process flagctl = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.flagstore.cli.Flagctl",
                        "disable",
                        "checkout",
                        "--reason",
                        "INC-42",
                        "--redis",
                        options.uri(),
                        "--namespace",
                        options.namespace())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();

        assertThat(flagctl.waitFor(60, TimeUnit.SECONDS)).as("flagctl finished").isTrue();
        assertThat(flagctl.exitValue()).as(Files.readString(output)).isZero();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(changes)
                .singleElement()
                .satisfies(event -> assertThat(event.getFlagsChanged()).containsExactly("checkout")));
        assertThat(client.getBooleanValue("checkout", true)).isFalse();
    }

    @Test
    void disablingByTagIsOneEventWithEveryKey() {
        admin.setEnabledByTag("payments", false, WriteOptions.defaults());

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(changes)
                .singleElement()
                .satisfies(event -> assertThat(event.getFlagsChanged()).containsExactly("checkout", "refunds")));
        assertThat(client.getBooleanValue("refunds", true)).isFalse();
    }

    @Test
    void stoppingRedisMakesTheProviderStaleWhileItKeepsServingAndItRecovers() {
        REDIS.stop();
        try {
            await().atMost(PATIENCE).until(() -> !stale.isEmpty());
            assertThat(client.getProviderState()).isEqualTo(ProviderState.STALE);
            assertThat(client.getBooleanValue("checkout", false)).isTrue();
        } finally {
            REDIS.start();
        }

        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(client.getProviderState()).isEqualTo(ProviderState.READY));
        admin.disable("checkout");
        await().atMost(PATIENCE).until(() -> !client.getBooleanValue("checkout", true));
    }
}
