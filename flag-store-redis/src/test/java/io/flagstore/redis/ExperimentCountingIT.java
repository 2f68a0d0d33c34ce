package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.ClientState;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.model.Experiment;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.core.spi.Exposure;
import io.flagstore.core.spi.Outcome;
import io.flagstore.redis.internal.ExperimentKeys;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.testing.DocumentedAcl;
import io.flagstore.redis.testing.DocumentedAcl.Role;
import io.flagstore.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Experiment counting on a real redis-server: unique counts within HyperLogLog's documented error,
 * a client's exposures and outcomes end to end, and the documented service ACL allowing exactly the
 * counting commands on exactly the experiment keys.
 */
class ExperimentCountingIT {
    /** HyperLogLog's standard error in Redis (16,384 registers): 1.04 / sqrt(16384). */
    private static final double HLL_STANDARD_ERROR = 0.0081;

    private static final String METRIC = "checkout.completed";

    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private String namespace;
    private FlagAdmin admin;
    private String serviceUri;

    @BeforeEach
    void setUp() {
        namespace = redis.uniqueNamespace();
        serviceUri = DocumentedAcl.create(redis, Role.SERVICE, namespace, "svc-" + namespace, "service-pw");
        String adminUri = DocumentedAcl.create(redis, Role.ADMIN, namespace, "adm-" + namespace, "admin-pw");
        admin = open(FlagAdmin.connect(options(adminUri)));
    }

    @AfterEach
    void tearDown() throws Exception {
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

    private static Flag experimentFlag(Instant start) {
        return Flag.booleanFlag("new-checkout")
                .enabled(true)
                .fallthrough(Serve.rollout(new Rollout(
                        List.of(new WeightedVariant(Flag.OFF, 50), new WeightedVariant(Flag.ON, 50)), null)))
                .experiment(new Experiment(Flag.OFF, null, List.of(METRIC), null, start, null))
                .build();
    }

    @Test
    void uniqueExposureCountsStayWithinHyperLogLogsStandardError() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Flag flag = experimentFlag(start);
        admin.create(flag);
        SplittableRandom random = new SplittableRandom(20_270_104L);
        int keys = 20;
        int unitsPerKey = 20_000;
        double sumSquares = 0;
        double worst = 0;
        try (RedisFlagSource sink =
                RedisFlagSource.builder().options(options(serviceUri)).build()) {
            for (int k = 0; k < keys; k++) {
                Instant run = start.plusSeconds(k); // a run per key: independent HyperLogLogs
                List<Exposure> batch = new ArrayList<>();
                for (int u = 0; u < unitsPerKey; u++) {
                    String unit = "user-" + Long.toHexString(random.nextLong());
                    batch.add(new Exposure(flag.key(), "on", unit, unit, run, start));
                    batch.add(new Exposure(flag.key(), "on", unit, unit, run, start)); // duplicates count once
                    if (batch.size() >= 5_000) {
                        sink.exposed(batch);
                        batch.clear();
                    }
                }
                sink.exposed(batch);
                Object counted = redis.execute(
                        "PFCOUNT",
                        new ExperimentKeys(KeySchema.of(namespace))
                                .exposed(flag.key(), run, "on", ExperimentKeys.day(start)));
                double error = ((Long) counted - unitsPerKey) / (double) unitsPerKey;
                sumSquares += error * error;
                worst = Math.max(worst, Math.abs(error));
            }
        }
        double rms = Math.sqrt(sumSquares / keys);
        // seeded, so deterministic; the bounds are the documented error with room for 20 samples
        assertThat(rms)
                .as("root mean square relative error over %d counts (seed 20270104)", keys)
                .isLessThan(HLL_STANDARD_ERROR * 1.5);
        assertThat(worst).as("largest relative error").isLessThan(HLL_STANDARD_ERROR * 4);
    }

    @Test
    void aClientsExposuresAndOutcomesAreCountedPerVariantAndReadBack() {
        Instant start = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
        admin.create(experimentFlag(start));
        FlagClient client = FlagClient.builder()
                .source(RedisFlagSource.builder().options(options(serviceUri)).build())
                .experimentFlushInterval(Duration.ofMillis(50))
                .build();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.health().state() == ClientState.READY);
        Map<String, Integer> exposed = new HashMap<>();
        Map<String, Integer> converted = new HashMap<>();
        Map<String, Double> revenue = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            EvaluationContext ctx = EvaluationContext.of("user-" + i);
            String variant = client.boolDetail("new-checkout", ctx, false).variant();
            client.isEnabled("new-checkout", ctx); // again: still one exposure
            exposed.merge(variant, 1, Integer::sum);
            if (i % 10 == 0) {
                client.track(METRIC, ctx, 20);
                client.track(METRIC, ctx, 5); // a second outcome: one more count, the same unit
                converted.merge(variant, 1, Integer::sum);
                revenue.merge(variant, 25.0, Double::sum);
            }
        }
        client.close();

        try (ExperimentStore store = ExperimentStore.connect(admin.options())) {
            ExperimentCounts counts = store.counts(admin.get("new-checkout").orElseThrow(), Instant.now());
            assertThat(counts.exposed().keySet()).containsExactly("off", "on");
            for (String variant : List.of("off", "on")) {
                // unique counts are estimates (a few in a hundred off at most here); the sums are exact
                assertThat((double) counts.exposed().get(variant)).isCloseTo(exposed.get(variant), withPercentage(3));
                ExperimentCounts.MetricCounts m = counts.metrics().get(METRIC);
                assertThat((double) m.converted().get(variant)).isCloseTo(converted.get(variant), withPercentage(3));
                assertThat(m.outcomes().get(variant)).isEqualTo(2L * converted.get(variant));
                assertThat(m.valueSums().get(variant)).isEqualTo(revenue.get(variant));
            }
        }
    }

    @Test
    void theDocumentedServiceRoleMayAddToExperimentKeysOnlyAndCannotReadOrChangeFlags() {
        admin.create(experimentFlag(Instant.parse("2027-01-04T09:00:00Z")));
        KeySchema keys = KeySchema.of(namespace);
        ExperimentKeys exp = new ExperimentKeys(keys);
        Instant run = Instant.parse("2027-01-04T09:00:00Z");
        String hll = exp.exposed("new-checkout", run, "on", "20270104");
        io.lettuce.core.RedisClient lettuce = io.lettuce.core.RedisClient.create(serviceUri);
        try (var connection = lettuce.connect()) {
            var service = connection.sync();
            assertThat(service.pfadd(hll, "u1")).isEqualTo(1L);
            assertThat(service.hincrbyfloat(exp.sums("new-checkout", run), "m|on|sum", 2.5))
                    .isEqualTo(2.5);
            assertThat(service.xadd(exp.exposureStream(), Map.of("flag", "new-checkout")))
                    .isNotNull();
            List<ThrowingCommand> refused = List.of(
                    () -> service.pfcount(hll), // add-only: it cannot read the counts back
                    () -> service.hset(hll, "f", "v"),
                    () -> service.del(hll),
                    () -> service.pfadd(keys.flag("new-checkout"), "x"), // the counting commands stay on exp: keys
                    () -> service.hincrbyfloat(keys.flag("new-checkout"), "version", 1),
                    () -> service.xadd(keys.audit(), Map.of("op", "forged")),
                    () -> service.hset(keys.flag("new-checkout"), "enabled", "false"),
                    () -> service.hincrbyfloat(exp.exposed("new-checkout", run, "on", "x") + ":other", "f", 1));
            for (ThrowingCommand command : refused) {
                assertThatThrownBy(command::run).hasMessageContaining("NOPERM");
            }
            // reads of flags work as before
            assertThat(service.hgetall(keys.flag("new-checkout"))).containsEntry("enabled", "true");
        } finally {
            lettuce.shutdown();
        }
        assertThat(admin.get("new-checkout").orElseThrow().enabled()).isTrue();
    }

    @Test
    void aSinkReportsRedisRefusalsAsStoreUnavailable() {
        String nobody = redis.uri().replace("redis://", "redis://nobody:wrong@");
        try (RedisFlagSource sink =
                RedisFlagSource.builder().options(options(nobody)).build()) {
            Exposure e = new Exposure("f", "on", "u", "u", Instant.EPOCH, Instant.EPOCH);
            assertThatThrownBy(() -> sink.exposed(List.of(e))).isInstanceOf(StoreUnavailableException.class);
        }
        Outcome o = new Outcome(METRIC, "f", "on", "u", Instant.EPOCH, null, Instant.EPOCH);
        assertThat(o.value()).isNull();
    }

    @FunctionalInterface
    private interface ThrowingCommand {
        void run() throws Exception;
    }
}
