package io.flagstore.redis.internal;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The strict Jackson mapper of the Redis module: no trailing tokens, no duplicate properties. */
public final class Json {
    /** Thread-safe once configured; never reconfigure it. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * {@link #MAPPER}'s trees, for the hot paths that read one per hash field or audit entry: the
     * mapper's own {@code readTree} resolves the {@code JsonNode} type on every call, which a reader
     * does once.
     */
    public static final ObjectReader TREES = MAPPER.reader();

    private Json() {}

    /**
     * Text read from Redis, made safe for a message or a log line: cut at {@code max} characters and
     * quoted as a JSON string, so control characters (line breaks, NUL, terminal escapes) are escaped
     * and cannot forge log lines.
     */
    public static String quoteForMessage(String text, int max) {
        String shown = text.length() > max ? text.substring(0, max) + "..." : text;
        return JsonNodeFactory.instance.textNode(shown).toString();
    }

    /** A parser's message about text read from Redis, with control characters escaped (it may quote the input). */
    public static String parserMessage(String message) {
        String quoted = JsonNodeFactory.instance
                .textNode(message == null ? "" : message)
                .toString();
        return quoted.substring(1, quoted.length() - 1);
    }
}
