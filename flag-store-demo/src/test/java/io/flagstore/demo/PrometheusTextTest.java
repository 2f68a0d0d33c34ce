package io.flagstore.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrometheusTextTest {
    private static final String VALID =
            """
            # HELP up 1 when "up" \\\\ or\\n down
            # TYPE up gauge
            up{service="a",path="x\\"y\\\\z\\n"} 1.0
            up{service="b",} +Inf 1700000000000
            # TYPE lag_seconds summary
            lag_seconds{quantile="0.5"} NaN
            lag_seconds_count 3
            lag_seconds_sum 0.5e-3
            # TYPE req histogram
            req_bucket{le="0.1"} 1
            req_bucket{le="+Inf"} 2
            req_count 2
            req_sum -1
            """;

    @Test
    void parsesSamplesLabelsEscapesAndFamilies() {
        PrometheusText.Exposition e = PrometheusText.parse(VALID);
        assertThat(e.samples()).hasSize(9);
        assertThat(e.samples().get(0).labels()).isEqualTo(Map.of("service", "a", "path", "x\"y\\z\n"));
        assertThat(e.samples().get(1).value()).isInfinite();
        assertThat(e.types()).containsEntry("lag_seconds", "summary").containsEntry("req", "histogram");
        assertThat(e.labelNames("req")).containsExactly("le");
        assertThat(e.names()).contains("lag_seconds_count", "req_bucket", "up");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "9up 1|bad metric name",
                "up{service=a} 1|unquoted value",
                "up{__name__=\"a\"} 1|bad label name",
                "up{a=\"1\",a=\"2\"} 1|label a twice",
                "up{a=\"\\x\"} 1|bad escape",
                "up{a=\"1\" 1|expected ',' or '}'",
                "up 1.0d|bad value",
                "up one|bad value",
                "up 1 soon|bad timestamp",
                "up 1\\nup 2|duplicate series",
                "up 1\\ndown 1\\nup{a=\"b\"} 1|not one group",
                "up 1\\n# TYPE up gauge|TYPE after samples",
                "# TYPE up gauge\\n# TYPE up gauge|second TYPE",
                "# TYPE up meter|unknown type",
                "# TYPE h histogram\\nh_bucket{le=\"1\"} 1|no le=\"+Inf\" bucket",
                "# TYPE s summary\\ns 1|without quantile",
                "# HELP up a \\q|bad escape in HELP",
            })
    void rejectsWhatThePrometheusParserRejects(String text, String problem) {
        assertThatThrownBy(() -> PrometheusText.parse(text.replace("\\n", "\n") + "\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem);
    }

    /** What Micrometer's Prometheus registry writes, this parser reads back exactly. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 20261125})
    void readsBackWhatTheRegistryWritesForRandomLabelsAndValues(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Map<String, Double> expected = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            String label = randomText(random);
            double value =
                    switch (random.nextInt(5)) {
                        case 0 -> Double.NaN;
                        case 1 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                        case 2 -> random.nextLong();
                        default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-20, 20));
                    };
            if (expected.putIfAbsent(label, value) == null) {
                // A supplier gauge holds its value strongly (a boxed value would be weakly referenced).
                Gauge.builder("random.gauge", () -> value).tag("v", label).register(registry);
            }
        }
        PrometheusText.Exposition parsed = PrometheusText.parse(registry.scrape());
        Map<String, Double> actual = new HashMap<>();
        parsed.samples().stream()
                .filter(sample -> sample.name().equals("random_gauge"))
                .forEach(sample -> actual.put(sample.labels().get("v"), sample.value()));
        assertThat(actual).as("seed %d", seed).isEqualTo(expected);
        assertThat(parsed.types()).as("seed %d", seed).containsEntry("random_gauge", "gauge");
        registry.close();
    }

    private static String randomText(SplittableRandom random) {
        String alphabet = "ab\"\\\n{}=, #é\u2603";
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(0, 12); n > 0; n--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    @Test
    void rejectsAMissingFinalLineFeed() {
        assertThatThrownBy(() -> PrometheusText.parse("up 1")).hasMessageContaining("must end with a line feed");
    }
}
