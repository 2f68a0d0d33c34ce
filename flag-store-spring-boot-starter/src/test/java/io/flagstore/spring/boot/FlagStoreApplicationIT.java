package io.flagstore.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flagstore.core.ClientState;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.testing.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole Spring Boot application (web server, Actuator, the app's registry) against a real
 * redis-server: properties bind, the bean evaluates, {@code flagctl disable} reaches it, the health
 * endpoint follows Redis going away and coming back, meters are registered once, and the context
 * shuts the client down. Run on Boot 3.5 here and on Boot 4.0 by flag-store-spring-boot4-tests.
 */
class FlagStoreApplicationIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final EvaluationContext USER = EvaluationContext.of("user-1");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.builder().aof().build(); // AOF: a restart keeps the namespace
        redis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void theApplicationServesFollowsAndReportsTheFlagStore(@TempDir Path dir) throws Exception {
        String namespace =
                "boot-it-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        try (FlagAdmin seed = FlagAdmin.connect(io.flagstore.redis.RedisOptions.builder()
                .uri(redis.uri())
                .namespace(namespace)
                .build())) {
            seed.create(Flag.killSwitch("payments-api"));
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
                .properties(
                        "server.port=0",
                        "server.address=127.0.0.1",
                        "management.endpoints.web.exposure.include=health,info",
                        "management.endpoint.health.show-details=always",
                        "flagstore.redis.uri=" + redis.uri(),
                        "flagstore.redis.namespace=" + namespace,
                        "flagstore.redis.connect-timeout=1s",
                        "flagstore.redis.command-timeout=1s",
                        "flagstore.service-name=boot-it",
                        "flagstore.fail-fast=true",
                        "flagstore.admin.enabled=true")
                .run();
        FlagClient client;
        try {
            String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
            client = context.getBean(FlagClient.class);
            assertThat(client.isEnabled("payments-api", USER)).isTrue();

            flagctl(
                    dir,
                    "disable",
                    "payments-api",
                    "--reason",
                    "INC-42",
                    "--redis",
                    redis.uri(),
                    "--namespace",
                    namespace);
            await().atMost(PATIENCE).until(() -> !client.isEnabled("payments-api", USER));

            context.getBean(FlagAdmin.class).create(Flag.killSwitch("new-checkout"));
            await().atMost(PATIENCE).until(() -> client.isEnabled("new-checkout", USER));

            JsonNode health = get(base + "/actuator/health").path("components").path("flagStore");
            assertThat(health.path("status").asText()).isEqualTo("UP");
            assertThat(health.path("details").path("namespace").asText()).isEqualTo(namespace);
            assertThat(health.path("details").path("version").asLong()).isGreaterThanOrEqualTo(3);
            JsonNode info = get(base + "/actuator/info").path("flagstore");
            assertThat(info.path("namespace").asText()).isEqualTo(namespace);
            assertThat(info.path("state").asText()).isEqualTo("READY");
            assertThat(info.path("propagationLagMaxMs").isNumber())
                    .as(info.toString())
                    .isTrue();

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("flagstore.flags").gauges()).hasSize(1);
            assertThat(registry.find("flagstore.source.connected").gauges()).hasSize(1);
            assertThat(registry.find("flagstore.source.connected").gauge().value())
                    .isEqualTo(1.0);
            assertThat(registry.find("flagstore.source.updates").counter().count())
                    .isGreaterThanOrEqualTo(2.0);

            if (redis.isRestartable()) {
                redis.stop();
                await().atMost(PATIENCE).untilAsserted(() -> {
                    assertThat(get(base + "/actuator/health")
                                    .path("components")
                                    .path("flagStore")
                                    .path("status")
                                    .asText())
                            .isEqualTo("OUT_OF_SERVICE");
                });
                assertThat(client.isEnabled("new-checkout", USER))
                        .as("the last flags are served")
                        .isTrue();
                redis.start();
                await().atMost(PATIENCE).untilAsserted(() -> assertThat(get(base + "/actuator/health")
                                .path("components")
                                .path("flagStore")
                                .path("status")
                                .asText())
                        .isEqualTo("UP"));
            }
        } finally {
            context.close();
        }
        assertThat(client.health().state()).isEqualTo(ClientState.CLOSED);
        await().atMost(PATIENCE).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("flagstore-source-" + namespace)));
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** Runs flagctl in its own JVM, as an operator would. */
    private static void flagctl(Path dir, String... args) throws Exception {
        Path output = dir.resolve("flagctl.txt");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.flagstore.cli.Flagctl"));
        command.addAll(java.util.List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("flagctl finished").isTrue();
        assertThat(process.exitValue()).as(Files.readString(output)).isZero();
    }
}
