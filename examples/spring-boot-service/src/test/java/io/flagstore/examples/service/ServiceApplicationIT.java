package io.flagstore.examples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.model.FlagJson;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.testing.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example service against a real redis-server, its flags seeded from flags.json and changed
 * with {@link FlagAdmin} (what {@code flagctl} runs) while it serves.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServiceApplicationIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String NAMESPACE =
            "example-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger CHARGES = new AtomicInteger();

    private static RedisServer redis;
    private static HttpServer payments;
    private static FlagAdmin admin;

    @LocalServerPort
    int port;

    @Autowired
    FlagClient flags;

    @Autowired
    ReconciliationJob job;

    @BeforeAll
    static void start() throws IOException {
        redis = RedisServer.builder().build();
        redis.start();
        admin = FlagAdmin.connect(
                RedisOptions.builder().uri(redis.uri()).namespace(NAMESPACE).build());
        try (InputStream in = ServiceApplicationIT.class.getResourceAsStream("/flags.json")) {
            FlagJson.readDocument(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .flags()
                    .forEach(admin::create);
        }
        payments = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        payments.createContext("/charges", exchange -> {
            CHARGES.incrementAndGet();
            byte[] body = "charged".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        payments.start();
    }

    @AfterAll
    static void stop() {
        admin.close();
        payments.stop(0);
        redis.close();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("flagstore.redis.uri", () -> redis.uri());
        registry.add("flagstore.redis.namespace", () -> NAMESPACE);
        registry.add("flagstore.fail-fast", () -> "true");
        registry.add(
                "payments.url",
                () -> "http://127.0.0.1:" + payments.getAddress().getPort());
        registry.add("reconciliation.interval", () -> "20ms");
    }

    private String call(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void theKillSwitchQueuesPaymentsInsteadOfCallingTheProvider() throws Exception {
        assertThat(call("POST", "/pay?user=alice&cents=100")).contains("charged");
        int charges = CHARGES.get();

        admin.disable(PaymentsClient.KILL_SWITCH);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(call("POST", "/pay?user=alice&cents=100"))
                .contains("queued"));
        assertThat(CHARGES.get()).isEqualTo(charges);

        admin.enable(PaymentsClient.KILL_SWITCH);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(call("POST", "/pay?user=alice&cents=100"))
                .contains("charged"));
    }

    @Test
    void theRolloutServesTheNewCheckoutToAQuarterOfUsersStably() throws Exception {
        long onNew = IntStream.range(0, 4000)
                .filter(i -> flags.isEnabled(CheckoutController.ROLLOUT, EvaluationContext.of("user-" + i)))
                .count();
        assertThat(onNew).isBetween(800L, 1200L);
        String first = call("GET", "/checkout?user=user-7");
        assertThat(first).contains("\"checkout\"");
        assertThat(call("GET", "/checkout?user=user-7")).isEqualTo(first);
    }

    @Test
    void theOperationalFlagPausesTheScheduledJob() {
        await().atMost(PATIENCE).until(() -> job.runs() > 0);

        admin.enable(ReconciliationJob.PAUSE);
        await().atMost(PATIENCE)
                .until(() -> flags.isEnabled(ReconciliationJob.PAUSE, EvaluationContext.of("reconciliation-job")));
        int paused = job.runs();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> job.runs() <= paused + 1);

        admin.disable(ReconciliationJob.PAUSE);
        await().atMost(PATIENCE).until(() -> job.runs() > paused + 1);
    }

    @Test
    void theSeededFlagsAreServed() {
        assertThat(flags.snapshot().flags())
                .containsKeys(PaymentsClient.KILL_SWITCH, CheckoutController.ROLLOUT, ReconciliationJob.PAUSE);
    }
}
