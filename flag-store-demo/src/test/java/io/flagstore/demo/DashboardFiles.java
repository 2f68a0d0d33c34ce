package io.flagstore.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The repository's deploy files, read as the tests need them. */
final class DashboardFiles {
    /** The repository root (tests run in the module directory). */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static final Path DASHBOARD = ROOT.resolve("deploy/grafana/dashboards/flag-store.json");

    private DashboardFiles() {}

    static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    static JsonNode yaml(Path file) {
        try {
            return new YAMLMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    /** Every PromQL expression of the dashboard: each {@code expr} field, wherever it is nested. */
    static List<String> dashboardExpressions() {
        List<String> exprs = new ArrayList<>();
        json(DASHBOARD).findValues("expr").forEach(e -> exprs.add(e.asText()));
        return exprs;
    }
}
