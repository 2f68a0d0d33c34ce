package io.flagstore.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;

/** JSON output: one shared mapper, instants as ISO-8601 strings. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode strings(Collection<String> values) {
        ArrayNode array = MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    /** Puts an instant as an ISO-8601 string, or JSON null. */
    static void putInstant(ObjectNode node, String field, Instant instant) {
        if (instant == null) {
            node.putNull(field);
        } else {
            node.put(field, instant.toString());
        }
    }

    /** Prints {@code node} indented (one document per command). */
    static void print(PrintWriter out, JsonNode node) {
        out.println(write(node, true));
        out.flush();
    }

    /** Prints {@code node} on one line (a stream of events). */
    static void printLine(PrintWriter out, JsonNode node) {
        out.println(write(node, false));
        out.flush();
    }

    /** Parses JSON this program produced (so a failure is a bug, not bad input). */
    static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(JsonNode node, boolean indent) {
        try {
            return indent
                    ? MAPPER.writeValueAsString(node)
                    : MAPPER.writer()
                            .without(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
