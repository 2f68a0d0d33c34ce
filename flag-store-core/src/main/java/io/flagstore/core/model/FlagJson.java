package io.flagstore.core.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.flagstore.core.InvalidFlagException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The one JSON form of flags, segments and documents, described in docs/flag-format.md (schema:
 * docs/flag-schema.json). Used by files, Redis, the pub/sub channel and the CLI alike.
 *
 * <p>Reading applies defaults (so {@code {"key": "payments-api"}} is a complete, disabled boolean
 * flag), accepts shorthands ({@code "fallthrough": "on"}), ignores unknown properties, and validates
 * with {@link FlagValidator}: it never returns an invalid definition. Every problem found, in reading
 * and in validation, is reported at once in one {@link InvalidFlagException}, each naming its JSON
 * path, such as {@code rules[1].clauses[0].op: unknown operator 'startWith' (expected one of in,
 * notIn, ...)}.
 *
 * <p>Writing is canonical: the same definition always gives the same bytes (properties in a fixed
 * order, declared order of variants, targets and rules kept, optional parts omitted when null
 * or empty, instants in UTC ISO-8601, LF line ends). Writing does not validate. {@code write*} methods
 * pretty-print for people and diffs; {@code toTree(flag).toString()} is the compact form.
 *
 * <p>All methods are static and thread-safe; arguments must not be null.
 */
public final class FlagJson {
    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(Limits.NESTING_DEPTH)
                            .maxDocumentLength(Limits.DOCUMENT_JSON_BYTES)
                            .build())
                    // UTF-8 output as String.getBytes gives it (a character outside the BMP as 4 bytes,
                    // not a 12-byte escape): digests and sizes are over the text every other form has
                    .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private FlagJson() {}

    /**
     * Writes a flag as canonical, pretty-printed JSON.
     *
     * @param flag the flag (not validated)
     * @return the JSON text, without a trailing line end
     */
    public static String write(Flag flag) {
        return pretty(g -> write(flag, g));
    }

    /**
     * Reads and validates one flag.
     *
     * @param json the flag's JSON text, at most 1 MiB of UTF-8
     * @return the flag, valid per {@link FlagValidator#problems(Flag)}
     * @throws InvalidFlagException listing every problem found
     */
    public static Flag read(String json) {
        return readText(json, Limits.FLAG_JSON_BYTES, "flag", FlagJson::readFlag);
    }

    /**
     * Returns the canonical tree form of a flag: property names are the record component names. The
     * tree is a fresh copy that the caller may change.
     */
    public static ObjectNode toTree(Flag flag) {
        return tree(g -> write(flag, g));
    }

    /**
     * Writes the compact canonical form of a flag ({@code toTree(flag).toString()}) as UTF-8, without
     * building the tree: what a digest of the definition is taken over. The stream is flushed, not
     * closed.
     */
    public static void writeCompact(Flag flag, OutputStream out) throws IOException {
        try (JsonGenerator g =
                MAPPER.getFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            write(flag, g);
        }
    }

    /**
     * Reads and validates one flag from its tree form.
     *
     * @throws InvalidFlagException listing every problem found
     */
    public static Flag fromTree(JsonNode tree) {
        return readTree(tree, "flag", FlagJson::readFlag);
    }

    /** Writes a segment as canonical, pretty-printed JSON (not validated). */
    public static String writeSegment(Segment segment) {
        return pretty(g -> write(segment, g));
    }

    /**
     * Reads and validates one segment.
     *
     * @param json the segment's JSON text, at most 4 MiB of UTF-8
     * @throws InvalidFlagException listing every problem found
     */
    public static Segment readSegment(String json) {
        return readText(json, Limits.SEGMENT_JSON_BYTES, "segment", FlagJson::readSegment);
    }

    /** Returns the canonical tree form of a segment (a fresh copy). */
    public static ObjectNode segmentToTree(Segment segment) {
        return tree(g -> write(segment, g));
    }

    /**
     * Reads and validates one segment from its tree form.
     *
     * @throws InvalidFlagException listing every problem found
     */
    public static Segment segmentFromTree(JsonNode tree) {
        return readTree(tree, "segment", FlagJson::readSegment);
    }

    /** Writes a document, {@code {"flags": [...], "segments": [...]}}, canonical and pretty-printed. */
    public static String writeDocument(FlagDocument document) {
        return pretty(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("flags");
            for (Flag flag : document.flags()) {
                write(flag, g);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("segments");
            for (Segment segment : document.segments()) {
                write(segment, g);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * Reads a document and validates every flag and segment in it, and that keys are unique. References
     * between items are not checked: see {@link FlagDocument}.
     *
     * @param json the document, at most 64 MiB of UTF-8; both arrays are optional
     * @throws InvalidFlagException listing every problem found, paths starting {@code flags[i]} or
     *     {@code segments[i]}
     */
    public static FlagDocument readDocument(String json) {
        Problems problems = new Problems("document");
        JsonNode tree = parse(json, Limits.DOCUMENT_JSON_BYTES, problems);
        if (tree == null) {
            problems.throwIfAny();
        }
        if (!tree.isObject()) {
            problems.parse(
                    "",
                    "expected an object such as {\"flags\": [...], \"segments\": [...]}, got " + TreeReader.kind(tree));
            problems.throwIfAny();
        }
        List<Flag> flags = new ArrayList<>();
        List<Segment> segments = new ArrayList<>();
        readItems(tree, "flags", problems, flags, FlagJson::readFlag, Flag::key);
        readItems(tree, "segments", problems, segments, FlagJson::readSegment, Segment::key);
        problems.throwIfAny();
        return new FlagDocument(flags, segments);
    }

    /** Reads one item at a path, reporting to problems; null when it is not even an object. */
    private interface ItemReader<T> {
        T read(JsonNode node, String path, Problems problems);
    }

    private interface KeyOf<T> {
        String key(T item);
    }

    private static <T> void readItems(
            JsonNode tree, String name, Problems problems, List<T> out, ItemReader<T> reader, KeyOf<T> keyOf) {
        JsonNode array = tree.get(name);
        if (array == null || array.isNull()) {
            return;
        }
        if (!array.isArray()) {
            problems.parse(name, "expected an array, got " + TreeReader.kind(array));
            return;
        }
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            String path = Problems.index(name, i);
            T item = reader.read(array.get(i), path, problems);
            if (item == null) {
                continue;
            }
            Integer previous = firstIndex.putIfAbsent(keyOf.key(item), i);
            if (previous != null && !keyOf.key(item).isEmpty()) {
                problems.add(
                        Problems.field(path, "key"),
                        "duplicate key " + Problems.quote(keyOf.key(item)) + " (also " + Problems.index(name, previous)
                                + ")");
            } else {
                out.add(item);
            }
        }
    }

    private static <T> T readText(String json, int maxBytes, String label, ItemReader<T> reader) {
        Problems problems = new Problems(label);
        JsonNode tree = parse(json, maxBytes, problems);
        T item = tree == null ? null : reader.read(tree, "", problems);
        problems.throwIfAny();
        return item;
    }

    private static <T> T readTree(JsonNode tree, String label, ItemReader<T> reader) {
        Objects.requireNonNull(tree, "tree");
        Problems problems = new Problems(label);
        T item = reader.read(tree, "", problems);
        problems.throwIfAny();
        return item;
    }

    private static Flag readFlag(JsonNode tree, String path, Problems problems) {
        Flag flag = new TreeReader(problems).flag(tree, path);
        if (flag != null) {
            FlagValidator.check(flag, path, problems);
        }
        return flag;
    }

    private static Segment readSegment(JsonNode tree, String path, Problems problems) {
        Segment segment = new TreeReader(problems).segment(tree, path);
        if (segment != null) {
            FlagValidator.check(segment, path, problems);
        }
        return segment;
    }

    /** Parses text after a size check that needs no parsing; returns null after reporting a problem. */
    private static JsonNode parse(String json, int maxBytes, Problems problems) {
        Objects.requireNonNull(json, "json");
        long bytes = json.length() > maxBytes ? json.length() : utf8Length(json);
        if (bytes > maxBytes) {
            problems.parse("", "the JSON is over the limit of " + maxBytes + " bytes (" + (maxBytes >> 20) + " MiB)");
            return null;
        }
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree == null || tree.isMissingNode()) {
                problems.parse("", "no JSON content");
                return null;
            }
            return tree;
        } catch (StreamConstraintsException e) {
            problems.parse("", "input refused: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            problems.parse(
                    "",
                    "malformed JSON"
                            + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                            + ": " + e.getOriginalMessage());
        }
        return null;
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // a surrogate pair is 4 bytes: 2 for each half
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    /** The size of the compact JSON form of a flag, for the validator's size limit. */
    static long compactSize(Flag flag) {
        return compactSize(g -> write(flag, g));
    }

    /** The size of the compact JSON form of a segment, for the validator's size limit. */
    static long compactSize(Segment segment) {
        return compactSize(g -> write(segment, g));
    }

    /** Something written to a generator; the in-memory targets used here never fail. */
    private interface Written {
        void to(JsonGenerator g) throws IOException;
    }

    private static long compactSize(Written written) {
        CountingStream out = new CountingStream();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            written.to(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.count;
    }

    private static ObjectNode tree(Written written) {
        try (TokenBuffer buffer = new TokenBuffer(MAPPER, false)) {
            written.to(buffer);
            return MAPPER.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pretty(Written written) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = PRETTY.createGenerator(out)) {
            written.to(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The canonical form of a flag, the one place that defines it (tree, text and digest forms are
     * all written here): properties in a fixed order, optional parts left out when null or empty.
     */
    private static void write(Flag flag, JsonGenerator g) throws IOException {
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
    private static void write(Segment segment, JsonGenerator g) throws IOException {
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

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
