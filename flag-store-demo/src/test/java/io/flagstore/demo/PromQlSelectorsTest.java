package io.flagstore.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlSelectorsTest {
    @Test
    void findsMetricsMatchersAndGroupingLabels() {
        PromQlSelectors.References refs =
                PromQlSelectors.of("sum by (service, kind) (rate(a_total{kind=~\"x|y\", flag=\"f\"}[$__rate_interval]))"
                        + " / on (service) group_left max without (le) (b_seconds{quantile=\"0.99\",svc=\"$svc\"} offset 5m)"
                        + " > bool 0.5 or vector(0)");
        assertThat(refs.selectors())
                .extracting(PromQlSelectors.Selector::metric)
                .containsExactly("a_total", "b_seconds");
        assertThat(refs.selectors().get(0).matcherLabels()).containsExactly("kind", "flag");
        assertThat(refs.selectors().get(0).equalMatchers()).isEqualTo(Map.of("flag", "f"));
        assertThat(refs.selectors().get(1).equalMatchers())
                .as("a Grafana variable is not a literal value")
                .isEqualTo(Map.of("quantile", "0.99"));
        assertThat(refs.groupingLabels()).isEqualTo(Set.of("service", "kind", "le"));
    }

    @Test
    void histogramQuantileOverAggregatedBuckets() {
        PromQlSelectors.References refs =
                PromQlSelectors.of("histogram_quantile(0.99, sum by (le) (rate(lag_seconds_bucket[5m:1m])))");
        assertThat(refs.selectors())
                .extracting(PromQlSelectors.Selector::metric)
                .isEqualTo(List.of("lag_seconds_bucket"));
        assertThat(refs.groupingLabels()).containsExactly("le");
    }

    @Test
    void refusesWhatItCannotCheck() {
        assertThatThrownBy(() -> PromQlSelectors.of("{__name__=\"up\"}")).hasMessageContaining("without a metric name");
        assertThatThrownBy(() -> PromQlSelectors.of("up{a=\"b}")).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> PromQlSelectors.of("rate(up[5m)")).hasMessageContaining("unclosed '['");
        assertThatThrownBy(() -> PromQlSelectors.of("up{a==\"b\"}")).hasMessageContaining("bad matcher operator");
        assertThatThrownBy(() -> PromQlSelectors.of("up # comment")).hasMessageContaining("unexpected '#'");
    }
}
