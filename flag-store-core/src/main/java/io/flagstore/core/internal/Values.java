package io.flagstore.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.core.model.FlagType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Conversions between the JSON model and the Java values the evaluator compares and serves. */
final class Values {
    private Values() {}

    /**
     * The Java value served for a variant: Boolean, String, Double or the JsonNode itself.
     *
     * @throws MalformedException if the JSON value does not fit the flag type
     */
    static Object variantValue(FlagType type, String variant, JsonNode node) {
        switch (type) {
            case BOOLEAN:
                if (node.isBoolean()) {
                    return node.booleanValue();
                }
                break;
            case STRING:
                if (node.isTextual()) {
                    return node.textValue();
                }
                break;
            case NUMBER:
                if (node.isNumber()) {
                    return node.doubleValue();
                }
                break;
            default:
                return node;
        }
        throw new MalformedException("variant '" + variant + "' value " + node + " is not a "
                + type.name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Parses an instant given as ISO-8601 (with {@code Z} or an offset).
     *
     * @return the instant, or {@code null} when {@code text} is not one
     */
    static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Normalises a number so that equal numbers are equal Doubles ({@code -0.0} becomes {@code 0.0}). */
    static Double canonical(double d) {
        return d == 0.0 ? 0.0 : d;
    }
}
