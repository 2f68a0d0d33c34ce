package io.flagstore.redis.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One message on the {@code changes} channel: everything one write (or batch) changed, for people
 * and tools ({@code flagctl watch}); a source reads only its {@link Claim} and takes definitions from
 * Redis, since anyone allowed to publish can send a message.
 *
 * <pre>{@code
 * {"v":42,"epoch":"...","ts":1732540000123,"op":"update","actor":"alice",
 *  "flags":[<tree>...],"deleted":["k"],"segments":[<tree>...],"deletedSegments":["s"]}
 * }</pre>
 *
 * <p>The trees are the {@code FlagJson} tree forms; every item of the message has version {@code v}
 * and updatedAt {@code ts}, which the receiver stamps (the trees may omit them). The write script
 * assembles the text as {@link #header} + {@link #body}, so the Java encoder and the script agree by
 * construction.
 *
 * @param version the namespace version of the write ({@code v})
 * @param epoch the namespace epoch
 * @param ts the write time, epoch milliseconds (Redis server clock)
 * @param op the operation ({@code create}, {@code update}, {@code delete}, {@code batch}, ...)
 * @param actor who wrote, or {@code null}
 * @param flags trees of the flags created or changed
 * @param deleted keys of the flags deleted
 * @param segments trees of the segments created or changed
 * @param deletedSegments keys of the segments deleted
 */
public record ChangeMessage(
        long version,
        String epoch,
        long ts,
        String op,
        String actor,
        List<ObjectNode> flags,
        List<String> deleted,
        List<ObjectNode> segments,
        List<String> deletedSegments) {

    private static final ObjectMapper MAPPER = Json.MAPPER;

    private static final int SNIPPET_LENGTH = 120;
    private static final String HEADER_VERSION = "{\"v\":";
    private static final String HEADER_EPOCH = ",\"epoch\":\"";
    private static final String HEADER_NEXT = ",\"ts\":";
    /** Digits the fast read takes; more could overflow a long, and go to the parser. */
    private static final int MAX_FAST_DIGITS = 18;

    public ChangeMessage {
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(op, "op");
        flags = List.copyOf(flags);
        deleted = List.copyOf(deleted);
        segments = List.copyOf(segments);
        deletedSegments = List.copyOf(deletedSegments);
    }

    /** The message text, exactly as the write script publishes it. */
    public String encode() {
        return header(version, epoch, ts) + body(op, actor, flags, deleted, segments, deletedSegments);
    }

    /** The start of a message: {@code {"v":..,"epoch":"..","ts":..,} (the script's part). */
    public static String header(long version, String epoch, long ts) {
        return "{\"v\":" + version + ",\"epoch\":" + quote(epoch) + ",\"ts\":" + ts + ",";
    }

    /** The rest of a message after {@link #header}, closing brace included (the caller's part). */
    public static String body(
            String op,
            String actor,
            List<? extends JsonNode> flags,
            List<String> deleted,
            List<? extends JsonNode> segments,
            List<String> deletedSegments) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("\"op\":").append(quote(op));
        sb.append(",\"actor\":").append(actor == null ? "null" : quote(actor));
        sb.append(",\"flags\":").append(toJson(flags));
        sb.append(",\"deleted\":").append(toJson(deleted));
        sb.append(",\"segments\":").append(toJson(segments));
        sb.append(",\"deletedSegments\":").append(toJson(deletedSegments));
        return sb.append('}').toString();
    }

    /**
     * The body of a message for a write of one flag that the write script fills in: a NUL stands
     * where the flag's tree goes (JSON text never holds a raw NUL).
     */
    public static String bodyForOneFlag(String op, String actor) {
        String empty = body(op, actor, List.of(), List.of(), List.of(), List.of());
        String flags = "\"flags\":[";
        int at = empty.indexOf(flags) + flags.length();
        return empty.substring(0, at) + '\0' + empty.substring(at);
    }

    /**
     * Parses a message.
     *
     * @throws IllegalArgumentException naming what is wrong (not JSON, a missing or mistyped field,
     *     a flag without a key...); the message must then be ignored and a catch-up done
     */
    public static ChangeMessage decode(String json) {
        Objects.requireNonNull(json, "json");
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw malformed("not JSON (" + Json.parserMessage(e.getOriginalMessage()) + ")", json);
        }
        if (root == null || !root.isObject()) {
            throw malformed("not a JSON object", json);
        }
        JsonNode v = root.get("v");
        if (v == null || !v.canConvertToExactIntegral() || v.asLong() < 1) {
            throw malformed("'v' must be a positive integer", json);
        }
        JsonNode epoch = root.get("epoch");
        if (epoch == null || !epoch.isTextual() || epoch.asText().isEmpty()) {
            throw malformed("'epoch' must be a non-empty string", json);
        }
        JsonNode ts = root.get("ts");
        if (ts == null || !ts.canConvertToExactIntegral()) {
            throw malformed("'ts' must be an integer (epoch milliseconds)", json);
        }
        JsonNode op = root.get("op");
        if (op == null || !op.isTextual()) {
            throw malformed("'op' must be a string", json);
        }
        JsonNode actor = root.get("actor");
        if (actor != null && !actor.isNull() && !actor.isTextual()) {
            throw malformed("'actor' must be a string or null", json);
        }
        return new ChangeMessage(
                v.asLong(),
                epoch.asText(),
                ts.asLong(),
                op.asText(),
                actor == null || actor.isNull() ? null : actor.asText(),
                trees(root, "flags", json),
                strings(root, "deleted", json),
                trees(root, "segments", json),
                strings(root, "deletedSegments", json));
    }

    private static List<ObjectNode> trees(JsonNode root, String field, String json) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode item : array(root, field, json)) {
            if (!item.isObject() || !item.path("key").isTextual()) {
                throw malformed("every item of '" + field + "' must be an object with a string 'key'", json);
            }
            out.add((ObjectNode) item);
        }
        return out;
    }

    private static List<String> strings(JsonNode root, String field, String json) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : array(root, field, json)) {
            if (!item.isTextual()) {
                throw malformed("every item of '" + field + "' must be a string", json);
            }
            out.add(item.asText());
        }
        return out;
    }

    private static JsonNode array(JsonNode root, String field, String json) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return MAPPER.createArrayNode();
        }
        if (!node.isArray()) {
            throw malformed("'" + field + "' must be an array", json);
        }
        return node;
    }

    /**
     * The version and epoch a message claims, read from its start without decoding the rest: all a
     * receiver needs, since it takes the definitions from Redis.
     *
     * @param version {@code v}
     * @param epoch {@code epoch}
     */
    public record Claim(long version, String epoch) {}

    /**
     * Reads the {@link Claim} of a message, stopping once both fields are found.
     *
     * @throws IllegalArgumentException when the text is not a JSON object with a positive integer
     *     {@code v} and a non-empty string {@code epoch}
     */
    public static Claim claim(String json) {
        Objects.requireNonNull(json, "json");
        Claim header = headerClaim(json);
        return header != null ? header : parsedClaim(json);
    }

    /**
     * The claim of a message that starts as the write script writes it, {@code {"v":<digits>,
     * "epoch":"<text without escapes>","ts":<digits>,}, read without a JSON parser (every service
     * reads every message); {@code null} for any other start, which {@link #parsedClaim} then
     * judges, so both agree on every text.
     */
    private static Claim headerClaim(String json) {
        int first = HEADER_VERSION.length(); // the first digit of v
        if (!json.startsWith(HEADER_VERSION)) {
            return null;
        }
        long version = 0;
        int at = first;
        for (; at < json.length() && at - first < MAX_FAST_DIGITS; at++) {
            char c = json.charAt(at);
            if (c < '0' || c > '9') {
                break;
            }
            version = version * 10 + (c - '0');
        }
        if (at == first || json.charAt(first) == '0' || !json.startsWith(HEADER_EPOCH, at)) {
            return null; // no digits, a leading zero (not JSON), or something else follows
        }
        int from = at + HEADER_EPOCH.length();
        for (int to = from; to < json.length(); to++) {
            char c = json.charAt(to);
            if (c == '"') {
                // the parser reads past the two fields to the next value: the script's "ts" number
                return to == from || !followedByTs(json, to + 1) ? null : new Claim(version, json.substring(from, to));
            }
            if (c == '\\' || c < 0x20) {
                return null; // an escape, or a character JSON does not allow here: the parser decides
            }
        }
        return null;
    }

    /** Whether {@code ,"ts":<number>} and a comma or closing brace come at {@code at}. */
    private static boolean followedByTs(String json, int at) {
        int digits = at + HEADER_NEXT.length();
        if (!json.startsWith(HEADER_NEXT, at)
                || digits >= json.length()
                || json.charAt(digits) < '1'
                || json.charAt(digits) > '9') {
            return false;
        }
        int end = digits + 1;
        while (end < json.length() && json.charAt(end) >= '0' && json.charAt(end) <= '9') {
            end++;
        }
        return end < json.length() && (json.charAt(end) == ',' || json.charAt(end) == '}');
    }

    /** {@link #claim} by a JSON parser, for any text. */
    static Claim parsedClaim(String json) {
        try (JsonParser parser = MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("not a JSON object", json);
            }
            Long version = null;
            String epoch = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME && (version == null || epoch == null)) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("v".equals(name)) {
                    if (value != JsonToken.VALUE_NUMBER_INT
                            || parser.getNumberType() != JsonParser.NumberType.INT
                                    && parser.getNumberType() != JsonParser.NumberType.LONG
                            || parser.getLongValue() < 1) {
                        throw malformed("'v' must be a positive integer", json);
                    }
                    version = parser.getLongValue();
                } else if ("epoch".equals(name)) {
                    if (value != JsonToken.VALUE_STRING || parser.getText().isEmpty()) {
                        throw malformed("'epoch' must be a non-empty string", json);
                    }
                    epoch = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (version == null || epoch == null) {
                throw malformed("'v' and 'epoch' are required", json);
            }
            return new Claim(version, epoch);
        } catch (IOException e) {
            throw malformed("not JSON (" + e.getMessage() + ")", json);
        }
    }

    private static IllegalArgumentException malformed(String what, String json) {
        return new IllegalArgumentException(
                "malformed change message: " + what + ": " + Json.quoteForMessage(json, SNIPPET_LENGTH));
    }

    private static String quote(String text) {
        return toJson(text);
    }

    private static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value, e);
        }
    }
}
