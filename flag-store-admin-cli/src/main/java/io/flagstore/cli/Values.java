package io.flagstore.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.model.FlagType;
import io.flagstore.core.model.WeightedVariant;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parses what operators type: {@code name=value} variants, {@code name=25} weights, dates. */
final class Values {
    private Values() {}

    /** A {@code name=value} pair, split at the first '='. */
    record Pair(String name, String value) {}

    static Pair pair(String text, String what) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not " + what);
        }
        return new Pair(text.substring(0, eq).trim(), text.substring(eq + 1));
    }

    /** A variant value of {@code type}: true/false, a number, any JSON, or text (quotes optional). */
    static JsonNode variantValue(FlagType type, String name, String text) {
        String t = text.trim();
        switch (type) {
            case BOOLEAN -> {
                String lower = t.toLowerCase(Locale.ROOT);
                if (lower.equals("true") || lower.equals("false")) {
                    return BooleanNode.valueOf(lower.equals("true"));
                }
                throw new IllegalArgumentException(
                        "variant '" + name + "': '" + text + "' is not a boolean (true or false)");
            }
            case NUMBER -> {
                JsonNode node = parseJson(t);
                if (node != null && node.isNumber()) {
                    return node;
                }
                throw new IllegalArgumentException("variant '" + name + "': '" + text + "' is not a number");
            }
            case JSON -> {
                JsonNode node = parseJson(t);
                if (node != null) {
                    return node;
                }
                throw new IllegalArgumentException("variant '" + name + "': '" + text + "' is not valid JSON");
            }
            default -> {
                JsonNode node = t.startsWith("\"") ? parseJson(t) : null;
                return node != null && node.isTextual() ? node : TextNode.valueOf(text);
            }
        }
    }

    /** A rollout slice {@code variant=percent}. */
    static WeightedVariant weight(String text) {
        Pair p = pair(text, "a weight: use VARIANT=PERCENT, e.g. on=25");
        String number = p.value().trim();
        if (number.endsWith("%")) {
            number = number.substring(0, number.length() - 1);
        }
        try {
            return new WeightedVariant(p.name(), Double.parseDouble(number));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + text + "': the weight '" + p.value() + "' is not a number (percent, e.g. on=25)");
        }
    }

    /** An instant: ISO-8601 ({@code 2026-12-31T00:00:00Z}) or a date ({@code 2026-12-31}, midnight UTC). */
    static Instant instant(String text) {
        try {
            return text.contains("T")
                    ? Instant.parse(text)
                    : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a date: use 2026-12-31 or 2026-12-31T18:00:00Z");
        }
    }

    private static JsonNode parseJson(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
