package io.flagstore.core.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.InvalidFlagException;
import java.io.IOException;
import java.io.OutputStream;
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
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
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
        return pretty(toTree(flag));
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
        ObjectNode n = NODES.objectNode();
        n.put("key", flag.key());
        n.put("type", flag.type().name().toLowerCase(Locale.ROOT));
        n.put("enabled", flag.enabled());
        ObjectNode variants = n.putObject("variants");
        flag.variants().forEach((name, value) -> variants.set(name, value.deepCopy()));
        n.put("offVariant", flag.offVariant());
        if (!flag.targets().isEmpty()) {
            ObjectNode targets = n.putObject("targets");
            flag.targets().forEach((variant, keys) -> {
                if (!keys.isEmpty()) {
                    targets.set(variant, strings(keys));
                }
            });
        }
        if (!flag.rules().isEmpty()) {
            ArrayNode rules = n.putArray("rules");
            for (Rule rule : flag.rules()) {
                ObjectNode r = rules.addObject();
                r.put("id", rule.id());
                putText(r, "description", rule.description());
                r.set("clauses", clauses(rule.clauses()));
                r.set("serve", serve(rule.serve()));
            }
        }
        n.set("fallthrough", serve(flag.fallthrough()));
        if (!flag.prerequisites().isEmpty()) {
            ArrayNode prerequisites = n.putArray("prerequisites");
            for (Prerequisite p : flag.prerequisites()) {
                prerequisites.addObject().put("flagKey", p.flagKey()).put("variant", p.variant());
            }
        }
        if (flag.experiment() != null) {
            n.set("experiment", experiment(flag.experiment()));
        }
        putText(n, "salt", flag.salt());
        putText(n, "description", flag.description());
        putText(n, "owner", flag.owner());
        if (!flag.tags().isEmpty()) {
            n.set("tags", strings(flag.tags()));
        }
        if (flag.temporary()) {
            n.put("temporary", true);
        }
        putInstant(n, "expiresAt", flag.expiresAt());
        putInstant(n, "createdAt", flag.createdAt());
        putInstant(n, "updatedAt", flag.updatedAt());
        putText(n, "updatedBy", flag.updatedBy());
        if (flag.version() != 0) {
            n.put("version", flag.version());
        }
        return n;
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
        return pretty(segmentToTree(segment));
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
        ObjectNode n = NODES.objectNode();
        n.put("key", segment.key());
        putText(n, "description", segment.description());
        if (!segment.included().isEmpty()) {
            n.set("included", strings(segment.included()));
        }
        if (!segment.excluded().isEmpty()) {
            n.set("excluded", strings(segment.excluded()));
        }
        if (!segment.rules().isEmpty()) {
            ArrayNode rules = n.putArray("rules");
            segment.rules().forEach(clauses -> rules.addObject().set("clauses", clauses(clauses)));
        }
        putInstant(n, "updatedAt", segment.updatedAt());
        if (segment.version() != 0) {
            n.put("version", segment.version());
        }
        return n;
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
        ObjectNode n = NODES.objectNode();
        ArrayNode flags = n.putArray("flags");
        document.flags().forEach(f -> flags.add(toTree(f)));
        ArrayNode segments = n.putArray("segments");
        document.segments().forEach(s -> segments.add(segmentToTree(s)));
        return pretty(n);
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

    /** What {@link #compactSizeBound} returns when it cannot bound a form: above every size limit. */
    static final long UNBOUNDED = Long.MAX_VALUE / 4;

    /**
     * At least the size of the compact JSON form, found without writing it (the validator checks every
     * definition it reads against a size limit): a string's chars at most 6 bytes each (an escape), a
     * number at most the longest text of its kind; {@link #UNBOUNDED} for an arbitrary-precision
     * number, whose text has no such bound.
     */
    static long compactSizeBound(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> sum(2, 6L * node.textValue().length());
            case NUMBER -> node.isBigDecimal() || node.isBigInteger()
                    ? UNBOUNDED
                    : node.isIntegralNumber() ? 20 : 25; // Long.MIN_VALUE; Double.toString's longest
            case OBJECT -> {
                long n = 2;
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    // two quotes, a colon, a comma
                    n = sum(n, sum(6L * e.getKey().length() + 4, compactSizeBound(e.getValue())));
                }
                yield n;
            }
            case ARRAY -> {
                long n = 2;
                for (JsonNode element : node) {
                    n = sum(n, compactSizeBound(element) + 1);
                }
                yield n;
            }
            case BOOLEAN, NULL, MISSING -> 5;
            default -> UNBOUNDED; // binary and POJO nodes: never in a definition's tree
        };
    }

    /** {@code a + b} for sizes at most {@link #UNBOUNDED}, capped there. */
    private static long sum(long a, long b) {
        return Math.min(UNBOUNDED, a + b);
    }

    /** The size of the compact JSON form, for the validator's size limits. */
    static long compactSize(JsonNode tree) {
        CountingStream out = new CountingStream();
        try {
            MAPPER.writeValue(out, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.count;
    }

    private static String pretty(JsonNode tree) {
        try {
            return PRETTY.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            // a tree of our own nodes always serialises
            throw new IllegalStateException(e);
        }
    }

    private static ArrayNode clauses(List<Clause> clauses) {
        ArrayNode array = NODES.arrayNode();
        for (Clause clause : clauses) {
            ObjectNode c = array.addObject();
            c.put("attribute", clause.attribute());
            c.put("op", clause.op().jsonName());
            ArrayNode values = c.putArray("values");
            clause.values().forEach(v -> values.add(v.deepCopy()));
            if (clause.negate()) {
                c.put("negate", true);
            }
        }
        return array;
    }

    private static ObjectNode serve(Serve serve) {
        ObjectNode s = NODES.objectNode();
        putText(s, "variant", serve.variant());
        Rollout rollout = serve.rollout();
        if (rollout != null) {
            ObjectNode r = s.putObject("rollout");
            ArrayNode slices = r.putArray("variants");
            for (WeightedVariant wv : rollout.variants()) {
                ObjectNode slice = slices.addObject().put("variant", wv.variant());
                double w = wv.weight();
                if (w == Math.rint(w) && Math.abs(w) < 1e15) {
                    slice.put("weight", (long) w);
                } else {
                    slice.put("weight", w);
                }
            }
            putText(r, "bucketBy", rollout.bucketBy());
        }
        return s;
    }

    private static ObjectNode experiment(Experiment experiment) {
        ObjectNode e = NODES.objectNode();
        e.put("control", experiment.control());
        putText(e, "hypothesis", experiment.hypothesis());
        e.set("metrics", strings(experiment.metrics()));
        putText(e, "rule", experiment.rule());
        putInstant(e, "startAt", experiment.startAt());
        putInstant(e, "stopAt", experiment.stopAt());
        return e;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = NODES.arrayNode(values.size());
        values.forEach(array::add);
        return array;
    }

    private static void putText(ObjectNode n, String name, String value) {
        if (value != null) {
            n.put(name, value);
        }
    }

    private static void putInstant(ObjectNode n, String name, Instant value) {
        if (value != null) {
            n.put(name, value.toString());
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
