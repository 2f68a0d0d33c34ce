package io.flagstore.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). The Prometheus Java client 1.x has
 * writers only, no parser, so the scrape test checks the format with this one: it rejects what
 * Prometheus' own parser rejects that a Micrometer scrape could plausibly contain (bad names, bad
 * escapes, unquoted or duplicate labels, reserved label names, unparseable values, a TYPE after its
 * samples or twice, a family split into several groups, duplicate series, a histogram without its
 * {@code +Inf} bucket), naming the line.
 */
final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** The parsed exposition: samples in order and each declared family's type. */
    record Exposition(List<Sample> samples, Map<String, String> types) {
        /** The label names seen on samples of {@code family} (its own name or its suffixed series). */
        Set<String> labelNames(String family) {
            Set<String> names = new HashSet<>();
            for (Sample s : samples) {
                if (familyOf(s.name(), types).equals(family) || s.name().equals(family)) {
                    names.addAll(s.labels().keySet());
                }
            }
            return names;
        }

        /** Every sample name and every declared family name. */
        Set<String> names() {
            Set<String> names = new HashSet<>(types.keySet());
            samples.forEach(s -> names.add(s.name()));
            return names;
        }
    }

    private PrometheusText() {}

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming the line on any violation. */
    static Exposition parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> helps = new HashSet<>();
        Set<String> closedFamilies = new HashSet<>();
        Set<String> series = new HashSet<>();
        Map<String, Boolean> infBucket = new HashMap<>();
        String currentFamily = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + " '" + line + "': ";
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && parts[0].equals("#") && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    require(METRIC_NAME.matcher(name).matches(), where + "bad metric name");
                    if (parts[1].equals("TYPE")) {
                        require(parts.length == 4 && TYPES.contains(parts[3]), where + "unknown type");
                        require(types.put(name, parts[3]) == null, where + "second TYPE for " + name);
                        require(
                                samples.stream().noneMatch(s -> familyOf(s.name(), types)
                                        .equals(name)),
                                where + "TYPE after samples of " + name);
                    } else {
                        require(helps.add(name), where + "second HELP for " + name);
                        checkHelpEscapes(parts.length == 4 ? parts[3] : "", where);
                    }
                }
                continue;
            }
            Sample sample = parseSample(line, where);
            String family = familyOf(sample.name(), types);
            if (!family.equals(currentFamily)) {
                require(closedFamilies.add(family), where + "samples of " + family + " are not one group");
                currentFamily = family;
            }
            require(series.add(sample.name() + sample.labels()), where + "duplicate series");
            String type = types.getOrDefault(family, "untyped");
            if (type.equals("histogram") && sample.name().equals(family + "_bucket")) {
                require(sample.labels().containsKey("le"), where + "histogram bucket without le");
                infBucket.merge(family, sample.labels().get("le").equals("+Inf"), Boolean::logicalOr);
            }
            if (type.equals("summary") && sample.name().equals(family)) {
                require(sample.labels().containsKey("quantile"), where + "summary sample without quantile");
            }
            samples.add(sample);
        }
        infBucket.forEach((family, hasInf) -> require(hasInf, "histogram " + family + " has no le=\"+Inf\" bucket"));
        return new Exposition(List.copyOf(samples), Map.copyOf(types));
    }

    static String familyOf(String sampleName, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
                    return base;
                }
            }
        }
        return sampleName;
    }

    private static Sample parseSample(String line, String where) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        require(METRIC_NAME.matcher(name).matches(), where + "bad metric name '" + name + "'");
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                require(eq > i, where + "label without '='");
                String label = line.substring(i, eq);
                require(
                        LABEL_NAME.matcher(label).matches() && !label.startsWith("__"),
                        where + "bad label name '" + label + "'");
                require(eq + 1 < line.length() && line.charAt(eq + 1) == '"', where + "unquoted value of " + label);
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; ; j++) {
                    require(j < line.length(), where + "unterminated value of " + label);
                    char c = line.charAt(j);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        require(++j < line.length(), where + "dangling escape");
                        char e = line.charAt(j);
                        require(e == '\\' || e == '"' || e == 'n', where + "bad escape \\" + e);
                        value.append(e == 'n' ? '\n' : e);
                    } else {
                        value.append(c);
                    }
                }
                require(labels.put(label, value.toString()) == null, where + "label " + label + " twice");
                i = j + 1;
                require(i < line.length(), where + "unterminated label set");
                if (line.charAt(i) == ',') {
                    i++;
                } else {
                    require(line.charAt(i) == '}', where + "expected ',' or '}'");
                }
            }
            i++;
        }
        require(i < line.length() && line.charAt(i) == ' ', where + "expected a space before the value");
        String[] rest = line.substring(i + 1).trim().split(" +");
        require(rest.length == 1 || rest.length == 2, where + "expected a value and an optional timestamp");
        double value = parseValue(rest[0], where);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "bad timestamp '" + rest[1] + "'");
            }
        }
        return new Sample(name, Map.copyOf(labels), value);
    }

    private static double parseValue(String text, String where) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                require(
                        !text.contains("Infinity")
                                && !text.endsWith("d")
                                && !text.endsWith("f")
                                && !text.startsWith("0x"),
                        where + "bad value '" + text + "'");
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + "bad value '" + text + "'");
                }
        }
    }

    private static void checkHelpEscapes(String text, String where) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                require(i + 1 < text.length(), where + "dangling escape");
                char e = text.charAt(++i);
                require(e == '\\' || e == 'n', where + "bad escape in HELP \\" + e);
            }
        }
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }
}
