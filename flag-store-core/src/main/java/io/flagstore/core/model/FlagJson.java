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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
        return pretty(g -> CanonicalWriter.write(flag, g));
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
        return tree(g -> CanonicalWriter.write(flag, g));
    }

    /**
     * Writes the compact canonical form of a flag ({@code toTree(flag).toString()}) as UTF-8, without
     * building the tree: what a digest of the definition is taken over. The stream is flushed, not
     * closed.
     */
    public static void writeCompact(Flag flag, OutputStream out) throws IOException {
        try (JsonGenerator g =
                MAPPER.getFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            CanonicalWriter.write(flag, g);
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
        return pretty(g -> CanonicalWriter.write(segment, g));
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
        return tree(g -> CanonicalWriter.write(segment, g));
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
                CanonicalWriter.write(flag, g);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("segments");
            for (Segment segment : document.segments()) {
                CanonicalWriter.write(segment, g);
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
                    FieldPath.ROOT,
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
        T read(JsonNode node, FieldPath path, Problems problems);
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
        FieldPath items = FieldPath.field(FieldPath.ROOT, name);
        if (!array.isArray()) {
            problems.parse(items, "expected an array, got " + TreeReader.kind(array));
            return;
        }
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            FieldPath path = FieldPath.index(items, i);
            T item = reader.read(array.get(i), path, problems);
            if (item == null) {
                continue;
            }
            Integer previous = firstIndex.putIfAbsent(keyOf.key(item), i);
            if (previous != null && !keyOf.key(item).isEmpty()) {
                problems.add(
                        FieldPath.field(path, "key"),
                        "duplicate key " + Problems.quote(keyOf.key(item)) + " (also "
                                + FieldPath.index(items, previous) + ")");
            } else {
                out.add(item);
            }
        }
    }

    private static <T> T readText(String json, int maxBytes, String label, ItemReader<T> reader) {
        Problems problems = new Problems(label);
        JsonNode tree = parse(json, maxBytes, problems);
        T item = tree == null ? null : reader.read(tree, FieldPath.ROOT, problems);
        problems.throwIfAny();
        return item;
    }

    private static <T> T readTree(JsonNode tree, String label, ItemReader<T> reader) {
        Objects.requireNonNull(tree, "tree");
        Problems problems = new Problems(label);
        T item = reader.read(tree, FieldPath.ROOT, problems);
        problems.throwIfAny();
        return item;
    }

    private static Flag readFlag(JsonNode tree, FieldPath path, Problems problems) {
        Flag flag = new TreeReader(problems).flag(tree, path);
        if (flag != null) {
            FlagValidator.check(flag, path, problems);
        }
        return flag;
    }

    private static Segment readSegment(JsonNode tree, FieldPath path, Problems problems) {
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
            problems.parse(
                    FieldPath.ROOT,
                    "the JSON is over the limit of " + maxBytes + " bytes (" + (maxBytes >> 20) + " MiB)");
            return null;
        }
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree == null || tree.isMissingNode()) {
                problems.parse(FieldPath.ROOT, "no JSON content");
                return null;
            }
            return tree;
        } catch (StreamConstraintsException e) {
            problems.parse(FieldPath.ROOT, "input refused: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            problems.parse(
                    FieldPath.ROOT,
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
        return compactSize(g -> CanonicalWriter.write(flag, g));
    }

    /** The size of the compact JSON form of a segment, for the validator's size limit. */
    static long compactSize(Segment segment) {
        return compactSize(g -> CanonicalWriter.write(segment, g));
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
