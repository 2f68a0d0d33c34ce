package io.flagstore.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, the Prometheus config and the Grafana provisioning and dashboard agree with each
 * other (no Docker engine needed); the scrape itself is checked by {@link MetricsScrapeIT}.
 */
class DashboardFilesTest {
    private static final JsonNode COMPOSE = DashboardFiles.yaml(DashboardFiles.ROOT.resolve("docker-compose.yml"));
    private static final JsonNode DASHBOARD = DashboardFiles.json(DashboardFiles.DASHBOARD);

    @Test
    void prometheusScrapesEveryDemoServiceOnItsMetricsPort() {
        JsonNode prometheus = DashboardFiles.yaml(DashboardFiles.ROOT.resolve("deploy/prometheus/prometheus.yml"));
        Set<String> targets = new HashSet<>();
        prometheus.path("scrape_configs").forEach(job -> job.path("static_configs")
                .forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText()))));
        Set<String> services = new HashSet<>();
        COMPOSE.path("services").fields().forEachRemaining(e -> {
            JsonNode env = e.getValue().path("environment");
            if (env.has("DEMO_SERVICE")) {
                assertThat(env.path("METRICS_HOST").asText())
                        .as(e.getKey() + " listens beyond localhost")
                        .isEqualTo("0.0.0.0");
                services.add(e.getKey() + ":" + env.path("METRICS_PORT").asText());
            }
        });
        assertThat(services).hasSize(3);
        assertThat(targets).isEqualTo(services);
    }

    @Test
    void grafanaIsProvisionedWithTheDatasourceAndDashboardItMounts() {
        JsonNode grafana = COMPOSE.path("services").path("grafana");
        List<String> containerPaths = new ArrayList<>();
        for (JsonNode volume : grafana.path("volumes")) {
            String[] parts = volume.asText().split(":");
            assertThat(DashboardFiles.ROOT.resolve(parts[0]))
                    .as(volume.asText())
                    .isDirectory();
            containerPaths.add(parts[1]);
        }
        for (JsonNode volume : COMPOSE.path("services").path("prometheus").path("volumes")) {
            assertThat(DashboardFiles.ROOT.resolve(volume.asText().split(":")[0]))
                    .as(volume.asText())
                    .isRegularFile();
        }
        JsonNode provider = DashboardFiles.yaml(
                        DashboardFiles.ROOT.resolve("deploy/grafana/provisioning/dashboards/flag-store.yml"))
                .path("providers")
                .get(0);
        assertThat(containerPaths)
                .contains(
                        "/etc/grafana/provisioning",
                        provider.path("options").path("path").asText());
        assertThat(grafana.path("environment")
                        .path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
                        .asText())
                .isEqualTo(
                        provider.path("options").path("path").asText() + "/" + DashboardFiles.DASHBOARD.getFileName());

        JsonNode datasource = DashboardFiles.yaml(
                        DashboardFiles.ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml"))
                .path("datasources")
                .get(0);
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        List<JsonNode> refs = DASHBOARD.findValues("datasource");
        assertThat(refs).isNotEmpty();
        assertThat(refs).allSatisfy(ref -> assertThat(ref.path("uid").asText())
                .isEqualTo(datasource.path("uid").asText()));
    }

    @Test
    void everyPanelHasQueriesWhoseLegendsUseLabelsTheQueryKeeps() {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : DASHBOARD.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("unique panel id %s", panel.path("id"))
                    .isTrue();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                PromQlSelectors.References refs = PromQlSelectors.of(expr);
                assertThat(refs.selectors()).as(expr).isNotEmpty();
                Matcher legend = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}")
                        .matcher(target.path("legendFormat").asText());
                while (legend.find()) {
                    assertThat(refs.groupingLabels())
                            .as("legend label kept by %s", expr)
                            .contains(legend.group(1));
                }
            }
        }
    }

    @Test
    void dashboardShowsTheMetersTheIssueAsksFor() {
        Set<String> metrics = new HashSet<>();
        DashboardFiles.dashboardExpressions()
                .forEach(e -> PromQlSelectors.of(e).selectors().forEach(s -> metrics.add(s.metric())));
        assertThat(metrics)
                .contains(
                        "flagstore_evaluations_total",
                        "flagstore_evaluation_errors_total",
                        "flagstore_source_propagation_lag_seconds",
                        "flagstore_source_connected",
                        "flagstore_client_state",
                        "flagstore_flags",
                        "flagstore_snapshot_version",
                        "flagstore_source_catchups_total",
                        "flagstore_source_full_reloads_total",
                        "flagstore_flag_enabled",
                        "flagstore_experiment_conversions_total",
                        "flagstore_experiment_exposures_total");
    }
}
