package io.flagstore.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Experiment;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.demo.PrometheusText.Exposition;
import io.flagstore.demo.PrometheusText.Sample;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.testing.RedisServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A demo service against a real Redis serves a {@code /metrics} scrape in the Prometheus text
 * format, with every metric, label and matched label value the Grafana dashboard's queries use.
 */
class MetricsScrapeIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    /** Labels Prometheus adds to every scraped series (target labels), so absent from the scrape. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void scrapeHasEveryMetricLabelAndValueTheDashboardQueries() throws Exception {
        RedisOptions options = RedisOptions.builder()
                .uri(redis.uri())
                .namespace(redis.uniqueNamespace())
                .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            WriteOptions w = new WriteOptions("test", "setup", null);
            admin.create(Flag.killSwitch(DemoService.KILL_SWITCH), w);
            admin.create(Flag.killSwitch(DemoService.OPS_FLAG), w);
            // ROLLOUT is left out: its evaluations are FLAG_NOT_FOUND errors, so error series exist.
            try (DemoService demo =
                    DemoService.start("svc", "svc-1", options, log, new InetSocketAddress("127.0.0.1", 0))) {
                URI uri = demo.metricsUri();
                assertThat(bytes.toString(StandardCharsets.UTF_8))
                        .contains("METRICS service=svc instance=svc-1 url=" + uri);

                // The first load must be done before the write: a write that arrives with the first
                // load is not a propagation and records no lag.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                                value(scrape(uri), "flagstore_flag_enabled", Map.of("flag", DemoService.KILL_SWITCH)))
                        .isOne());
                admin.disable(DemoService.KILL_SWITCH, w);
                // A change applied through the subscription records a propagation lag; the queued
                // payments show that the kill switch took effect.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    Exposition scrape = scrape(uri);
                    assertThat(value(scrape, "flagstore_flag_enabled", Map.of("flag", DemoService.KILL_SWITCH)))
                            .isZero();
                    assertThat(value(scrape, "flagstore_source_propagation_lag_seconds_count", Map.of()))
                            .isPositive();
                    assertThat(value(scrape, "demo_payments_total", Map.of("outcome", "queued")))
                            .isPositive();
                    assertThat(value(
                                    scrape,
                                    "flagstore_evaluation_errors_total",
                                    Map.of("flag", DemoService.ROLLOUT, "kind", "FLAG_NOT_FOUND")))
                            .isPositive();
                });

                // Now the rollout with its experiment, so the experiment meters exist too (the error
                // series above stay registered).
                admin.create(
                        Flag.booleanFlag(DemoService.ROLLOUT)
                                .enabled(true)
                                .rule(new Rule(
                                        "web-shoppers",
                                        null,
                                        List.of(new Clause(
                                                "channel", Operator.IN, List.of(TextNode.valueOf("web")), false)),
                                        Serve.rollout(new Rollout(
                                                List.of(new WeightedVariant("off", 50), new WeightedVariant("on", 50)),
                                                null))))
                                .experiment(new Experiment(
                                        "off",
                                        null,
                                        List.of(DemoService.CONVERSION),
                                        "web-shoppers",
                                        Instant.now().minusSeconds(60),
                                        null))
                                .build(),
                        w);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    Exposition scrape = scrape(uri);
                    assertThat(value(scrape, "flagstore_experiment_exposures_total", Map.of("variant", "on")))
                            .isPositive();
                    assertThat(value(
                                    scrape,
                                    "flagstore_experiment_conversions_total",
                                    Map.of("metric", DemoService.CONVERSION, "variant", "on")))
                            .isPositive();
                });

                Exposition scrape = scrape(uri);
                List<String> exprs = DashboardFiles.dashboardExpressions();
                assertThat(exprs).as("dashboard queries").hasSizeGreaterThan(10);
                for (String expr : exprs) {
                    assertQueriesExist(scrape, expr);
                }
            }
        }
    }

    /**
     * Prometheus' own parser (Go, in {@code promtool}, Debian package {@code prometheus}) when it is
     * installed: it must parse the scrape (exit 1 is a parse error), and its lint findings may only
     * concern Micrometer's JVM meters, not flag-store's or the demo's.
     */
    @Test
    void promtoolParsesTheScrapeWithoutFindingsOnFlagStoreMeters() throws Exception {
        Path promtool = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        assumeTrue(promtool != null, "promtool is not installed");
        RedisOptions options = RedisOptions.builder()
                .uri(redis.uri())
                .namespace(redis.uniqueNamespace())
                .build();
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        String body;
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch(DemoService.KILL_SWITCH), new WriteOptions("test", "setup", null));
            try (DemoService demo =
                    DemoService.start("svc", "svc-4", options, log, new InetSocketAddress("127.0.0.1", 0))) {
                body = http.send(
                                HttpRequest.newBuilder(demo.metricsUri()).build(), HttpResponse.BodyHandlers.ofString())
                        .body();
            }
        }
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = check.getOutputStream()) {
            in.write(body.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(out).isNotEqualTo(1);
        assertThat(out).as("promtool output").doesNotContain("parsing error");
        assertThat(out.lines())
                .as("promtool findings")
                .noneMatch(l -> l.startsWith("flagstore_") || l.startsWith("demo_"));
    }

    @Test
    void endpointServesOnlyGetAndHeadOfMetrics() throws Exception {
        RedisOptions options = RedisOptions.builder()
                .uri(redis.uri())
                .namespace(redis.uniqueNamespace())
                .build();
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (DemoService demo =
                DemoService.start("svc", "svc-2", options, log, new InetSocketAddress("127.0.0.1", 0))) {
            URI uri = demo.metricsUri();
            assertThat(status(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())))
                    .isEqualTo(200);
            assertThat(status(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("x"))))
                    .isEqualTo(405);
            assertThat(status(HttpRequest.newBuilder(uri.resolve("/metrics/x"))))
                    .isEqualTo(404);
            assertThat(status(HttpRequest.newBuilder(uri.resolve("/")))).isEqualTo(404);
        }
    }

    @Test
    void withoutAnAddressNoMetricsAreServed() {
        RedisOptions options = RedisOptions.builder()
                .uri(redis.uri())
                .namespace(redis.uniqueNamespace())
                .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DemoService demo =
                DemoService.start("svc", "svc-3", options, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            assertThat(demo.metricsUri()).isNull();
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("METRICS");
    }

    private static void assertQueriesExist(Exposition scrape, String expr) {
        PromQlSelectors.References refs = PromQlSelectors.of(expr);
        assertThat(refs.selectors()).as("metrics in %s", expr).isNotEmpty();
        Set<String> exprLabels = new HashSet<>(TARGET_LABELS);
        for (PromQlSelectors.Selector selector : refs.selectors()) {
            List<Sample> samples = scrape.samples().stream()
                    .filter(s -> s.name().equals(selector.metric()))
                    .toList();
            assertThat(samples)
                    .as("samples of %s (queried by %s) in the scrape", selector.metric(), expr)
                    .isNotEmpty();
            Set<String> labels = new HashSet<>(TARGET_LABELS);
            samples.forEach(s -> labels.addAll(s.labels().keySet()));
            assertThat(labels)
                    .as("labels of %s matched by %s", selector.metric(), expr)
                    .containsAll(selector.matcherLabels());
            selector.equalMatchers().forEach((label, value) -> assertThat(samples)
                    .as("a sample of %s with %s=\"%s\" (queried by %s)", selector.metric(), label, value, expr)
                    .anyMatch(s -> value.equals(s.labels().get(label))));
            exprLabels.addAll(labels);
        }
        assertThat(exprLabels).as("labels grouped or matched on in %s", expr).containsAll(refs.groupingLabels());
    }

    private Exposition scrape(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return PrometheusText.parse(response.body());
    }

    private int status(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static double value(Exposition scrape, String name, Map<String, String> labels) {
        return scrape.samples().stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value)
                .sum();
    }
}
