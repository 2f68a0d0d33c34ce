package io.flagstore.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metric names and label names a PromQL expression refers to, found by tokenizing it: enough of
 * PromQL for dashboard queries (selectors, label matchers, range and subquery brackets, function
 * calls, {@code by}/{@code without}/{@code on}/{@code ignoring}/{@code group_*} label lists, string
 * and number literals, Grafana {@code $variables}). Throws on anything it does not understand, so a
 * dashboard query it cannot check fails the test instead of passing unchecked.
 */
final class PromQlSelectors {
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2");
    private static final Set<String> AGGREGATIONS = Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "count",
            "group",
            "stddev",
            "stdvar",
            "topk",
            "bottomk",
            "quantile",
            "count_values",
            "limitk",
            "limit_ratio");
    private static final Set<String> LABEL_LIST_KEYWORDS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    /**
     * A metric name with the label names its own matchers use, and the values its {@code =} matchers
     * require (Grafana variables excluded).
     */
    record Selector(String metric, Set<String> matcherLabels, Map<String, String> equalMatchers) {}

    /** The selectors of an expression, and the labels used in grouping/matching clauses. */
    record References(List<Selector> selectors, Set<String> groupingLabels) {}

    private PromQlSelectors() {}

    static References of(String expr) {
        List<Selector> selectors = new ArrayList<>();
        Set<String> grouping = new LinkedHashSet<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '[') {
                int close = expr.indexOf(']', i);
                require(close > i, expr, "unclosed '['");
                i = close + 1;
            } else if (c == '{') {
                // A selector without a metric name ({__name__=...}) would hide which metric it means.
                throw new IllegalArgumentException("selector without a metric name in: " + expr);
            } else if (c == '$') {
                i = identEnd(expr, i + 1);
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int end = identEnd(expr, i);
                String word = expr.substring(i, end);
                int next = skipSpace(expr, end);
                if (LABEL_LIST_KEYWORDS.contains(word)) {
                    if (next < n && expr.charAt(next) == '(') {
                        int close = expr.indexOf(')', next);
                        require(close > next, expr, "unclosed label list");
                        for (String label : expr.substring(next + 1, close).split(",")) {
                            if (!label.isBlank()) {
                                grouping.add(label.trim());
                            }
                        }
                        i = close + 1;
                    } else {
                        i = end;
                    }
                } else if (KEYWORDS.contains(word)
                        || AGGREGATIONS.contains(word)
                        || (next < n && expr.charAt(next) == '(')) {
                    i = end; // an operator keyword, an aggregation (maybe followed by "by (...)"), a function
                } else {
                    Set<String> labels = new LinkedHashSet<>();
                    Map<String, String> equal = new LinkedHashMap<>();
                    i = end;
                    if (next < n && expr.charAt(next) == '{') {
                        i = parseMatchers(expr, next + 1, labels, equal);
                    }
                    selectors.add(new Selector(word, labels, equal));
                }
            } else if ("()+-*/%^=!<>,".indexOf(c) >= 0) {
                i++;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' at " + i + " in: " + expr);
            }
        }
        return new References(selectors, grouping);
    }

    private static int parseMatchers(String expr, int i, Set<String> labels, Map<String, String> equal) {
        while (true) {
            i = skipSpace(expr, i);
            require(i < expr.length(), expr, "unclosed '{'");
            if (expr.charAt(i) == '}') {
                return i + 1;
            }
            int end = identEnd(expr, i);
            require(end > i, expr, "label name expected at " + i);
            String label = expr.substring(i, end);
            labels.add(label);
            int op = skipSpace(expr, end);
            i = op;
            while (i < expr.length() && "=!~".indexOf(expr.charAt(i)) >= 0) {
                i++;
            }
            String operator = expr.substring(op, i);
            require(Set.of("=", "!=", "=~", "!~").contains(operator), expr, "bad matcher operator '" + operator + "'");
            int valueStart = skipSpace(expr, i);
            i = skipString(expr, valueStart);
            String value = expr.substring(valueStart + 1, i - 1);
            if (operator.equals("=") && !value.contains("$")) {
                equal.put(label, value);
            }
            i = skipSpace(expr, i);
            if (i < expr.length() && expr.charAt(i) == ',') {
                i++;
            }
        }
    }

    private static int skipString(String expr, int i) {
        char quote = expr.charAt(i);
        require(quote == '"' || quote == '\'' || quote == '`', expr, "string expected at " + i);
        for (int j = i + 1; j < expr.length(); j++) {
            if (expr.charAt(j) == '\\' && quote != '`') {
                j++;
            } else if (expr.charAt(j) == quote) {
                return j + 1;
            }
        }
        throw new IllegalArgumentException("unterminated string in: " + expr);
    }

    private static int identEnd(String expr, int i) {
        while (i < expr.length()
                && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_' || expr.charAt(i) == ':')) {
            i++;
        }
        return i;
    }

    private static int skipSpace(String expr, int i) {
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
        return i;
    }

    private static void require(boolean ok, String expr, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem + " in: " + expr);
        }
    }
}
