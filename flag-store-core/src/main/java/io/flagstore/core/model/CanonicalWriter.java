package io.flagstore.core.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the canonical JSON form of flags and segments to a generator, for {@link FlagJson}, which
 * gives it its targets: the pretty text, the tree, the compact bytes a digest is taken over, and the
 * size the validator limits. One writer for all of them, so that they cannot differ.
 */
final class CanonicalWriter {
    private CanonicalWriter() {}

    /** The canonical form of a flag: properties in a fixed order, optional parts left out when null or empty. */
    static void write(Flag flag, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", flag.key());
        g.writeStringField("type", flag.type().name().toLowerCase(Locale.ROOT));
        g.writeBooleanField("enabled", flag.enabled());
        g.writeObjectFieldStart("variants");
        for (Map.Entry<String, JsonNode> variant : flag.variants().entrySet()) {
            g.writeFieldName(variant.getKey());
            value(g, variant.getValue());
        }
        g.writeEndObject();
        g.writeStringField("offVariant", flag.offVariant());
        if (!flag.targets().isEmpty()) {
            g.writeObjectFieldStart("targets");
            for (Map.Entry<String, List<String>> target : flag.targets().entrySet()) {
                if (!target.getValue().isEmpty()) {
                    strings(g, target.getKey(), target.getValue());
                }
            }
            g.writeEndObject();
        }
        if (!flag.rules().isEmpty()) {
            g.writeArrayFieldStart("rules");
            for (Rule rule : flag.rules()) {
                g.writeStartObject();
                g.writeStringField("id", rule.id());
                text(g, "description", rule.description());
                clauses(g, rule.clauses());
                serve(g, "serve", rule.serve());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        serve(g, "fallthrough", flag.fallthrough());
        if (!flag.prerequisites().isEmpty()) {
            g.writeArrayFieldStart("prerequisites");
            for (Prerequisite p : flag.prerequisites()) {
                g.writeStartObject();
                g.writeStringField("flagKey", p.flagKey());
                g.writeStringField("variant", p.variant());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (flag.experiment() != null) {
            experiment(g, flag.experiment());
        }
        text(g, "salt", flag.salt());
        text(g, "description", flag.description());
        text(g, "owner", flag.owner());
        if (!flag.tags().isEmpty()) {
            strings(g, "tags", flag.tags());
        }
        if (flag.temporary()) {
            g.writeBooleanField("temporary", true);
        }
        instant(g, "expiresAt", flag.expiresAt());
        instant(g, "createdAt", flag.createdAt());
        instant(g, "updatedAt", flag.updatedAt());
        text(g, "updatedBy", flag.updatedBy());
        if (flag.version() != 0) {
            g.writeNumberField("version", flag.version());
        }
        g.writeEndObject();
    }

    /** The canonical form of a segment. */
    static void write(Segment segment, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", segment.key());
        text(g, "description", segment.description());
        if (!segment.included().isEmpty()) {
            strings(g, "included", segment.included());
        }
        if (!segment.excluded().isEmpty()) {
            strings(g, "excluded", segment.excluded());
        }
        if (!segment.rules().isEmpty()) {
            g.writeArrayFieldStart("rules");
            for (List<Clause> clauses : segment.rules()) {
                g.writeStartObject();
                clauses(g, clauses);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        instant(g, "updatedAt", segment.updatedAt());
        if (segment.version() != 0) {
            g.writeNumberField("version", segment.version());
        }
        g.writeEndObject();
    }

    private static void clauses(JsonGenerator g, List<Clause> clauses) throws IOException {
        g.writeArrayFieldStart("clauses");
        for (Clause clause : clauses) {
            g.writeStartObject();
            g.writeStringField("attribute", clause.attribute());
            g.writeStringField("op", clause.op().jsonName());
            g.writeArrayFieldStart("values");
            for (JsonNode value : clause.values()) {
                value(g, value);
            }
            g.writeEndArray();
            if (clause.negate()) {
                g.writeBooleanField("negate", true);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void serve(JsonGenerator g, String name, Serve serve) throws IOException {
        g.writeObjectFieldStart(name);
        text(g, "variant", serve.variant());
        Rollout rollout = serve.rollout();
        if (rollout != null) {
            g.writeObjectFieldStart("rollout");
            g.writeArrayFieldStart("variants");
            for (WeightedVariant wv : rollout.variants()) {
                g.writeStartObject();
                g.writeStringField("variant", wv.variant());
                double w = wv.weight();
                if (w == Math.rint(w) && Math.abs(w) < 1e15) {
                    g.writeNumberField("weight", (long) w);
                } else {
                    g.writeNumberField("weight", w);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            text(g, "bucketBy", rollout.bucketBy());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void experiment(JsonGenerator g, Experiment experiment) throws IOException {
        g.writeObjectFieldStart("experiment");
        g.writeStringField("control", experiment.control());
        text(g, "hypothesis", experiment.hypothesis());
        strings(g, "metrics", experiment.metrics());
        text(g, "rule", experiment.rule());
        instant(g, "startAt", experiment.startAt());
        instant(g, "stopAt", experiment.stopAt());
        g.writeEndObject();
    }

    /**
     * A variant or clause value as the tree writes it. A text, number or boolean writes itself: through
     * the mapper, each value would make a serializer provider of its own (most of the cost of writing
     * a flag); objects, arrays and null need one.
     */
    private static void value(JsonGenerator g, JsonNode value) throws IOException {
        if (value.isValueNode() && !value.isNull()) {
            value.serialize(g, null);
        } else {
            g.writeTree(value);
        }
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }

    private static void text(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void instant(JsonGenerator g, String name, Instant value) throws IOException {
        if (value == null) {
            return;
        }
        char[] text = new char[IsoInstant.MAX_LENGTH];
        int length = IsoInstant.format(value, text);
        if (length < 0) {
            g.writeStringField(name, value.toString());
        } else {
            g.writeFieldName(name);
            g.writeString(text, 0, length);
        }
    }
}
