package io.flagstore.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagType;
import io.flagstore.core.model.Serve;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Flags pinned to fixed values for a test, with a real {@link FlagClient} over an {@link
 * InMemoryFlagSource}; no JUnit needed. Changes after {@link #client()} was built are seen by it at
 * once.
 *
 * <pre>{@code
 * try (TestFlags flags = TestFlags.create().set("new-checkout", true).set("theme", "dark")) {
 *     Checkout checkout = new Checkout(flags.client());
 *     ...
 *     flags.set("new-checkout", false); // the kill switch, mid-test
 * }
 * }</pre>
 *
 * <p>A pinned boolean is a boolean flag ({@code on}/{@code off}) that is enabled for {@code true}
 * and disabled for {@code false}, so it reads like a kill switch; any other value is a flag with
 * one variant {@value #VARIANT} served to everyone. For rules, rollouts or targets, {@link
 * #set(Flag)} a full definition. Thread-safe.
 */
public final class TestFlags implements AutoCloseable {
    /** The variant name of a pinned non-boolean value. */
    public static final String VARIANT = "value";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final InMemoryFlagSource source = InMemoryFlagSource.of(List.of());
    private FlagClient client;

    private TestFlags() {}

    /** No flags yet. */
    public static TestFlags create() {
        return new TestFlags();
    }

    /** Pins a boolean flag (enabled for {@code true}, disabled for {@code false}). */
    public TestFlags set(String key, boolean value) {
        return set(flag(key, BooleanNode.valueOf(value), FlagType.BOOLEAN));
    }

    /** Pins a string flag. */
    public TestFlags set(String key, String value) {
        return set(flag(key, TextNode.valueOf(Objects.requireNonNull(value, "value")), FlagType.STRING));
    }

    /** Pins a number flag. */
    public TestFlags set(String key, double value) {
        return set(flag(key, DoubleNode.valueOf(value), FlagType.NUMBER));
    }

    /** Pins a JSON flag to {@code value} converted with Jackson (a record, map, list or {@code JsonNode}). */
    public TestFlags setJson(String key, Object value) {
        return set(flag(key, MAPPER.valueToTree(value), FlagType.JSON));
    }

    /**
     * Pins a flag from text: {@code type} is {@code boolean}, {@code string}, {@code number} or
     * {@code json}, or empty to infer it ({@code true}/{@code false} boolean, a number, a JSON object
     * or array, else a string; {@code TRUE} or {@code False} is refused rather than read as a string).
     *
     * @throws IllegalArgumentException if the text does not fit the type
     */
    public TestFlags set(String key, String value, String type) {
        return set(parse(key, value, type));
    }

    /** Creates or replaces a flag with a full definition. */
    public TestFlags set(Flag flag) {
        source.put(flag);
        return this;
    }

    /** Deletes a flag: evaluations then serve the caller's default with {@code FLAG_NOT_FOUND}. */
    public TestFlags remove(String key) {
        source.delete(key);
        return this;
    }

    /** {@return the source behind the client, for batches and state changes} */
    public InMemoryFlagSource source() {
        return source;
    }

    /** {@return the client (built on first use, then the same one) serving these flags} */
    public synchronized FlagClient client() {
        if (client == null) {
            client = FlagClient.builder()
                    .source(source)
                    .startTimeout(Duration.ZERO)
                    .build();
        }
        return client;
    }

    /** Closes the client, if built. */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }

    static Flag parse(String key, String value, String type) {
        Objects.requireNonNull(value, "value");
        String kind =
                Objects.requireNonNull(type, "type").isEmpty() ? infer(key, value) : type.toLowerCase(Locale.ROOT);
        try {
            return switch (kind) {
                case "boolean" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new IllegalArgumentException("not a boolean");
                    }
                    yield flag(key, BooleanNode.valueOf(Boolean.parseBoolean(value)), FlagType.BOOLEAN);
                }
                case "string" -> flag(key, TextNode.valueOf(value), FlagType.STRING);
                case "number" -> flag(key, DoubleNode.valueOf(Double.parseDouble(value)), FlagType.NUMBER);
                case "json" -> flag(key, MAPPER.readTree(value), FlagType.JSON);
                default -> throw new IllegalArgumentException(
                        "unknown type '" + type + "' (boolean, string, number, json, or empty to infer)");
            };
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "flag '" + key + "': value '" + value + "' is not a valid " + kind + ": " + e.getMessage(), e);
        }
    }

    private static String infer(String key, String value) {
        if (value.equals("true") || value.equals("false")) {
            return "boolean";
        }
        // "TRUE" would otherwise become a string flag that every boolean read ignores, silently
        if (value.trim().equalsIgnoreCase("true") || value.trim().equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("flag '" + key + "': value '" + value
                    + "' is not a boolean: write true or false in lower case (or type = \"string\" for the text)");
        }
        String trimmed = value.trim();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            return "json";
        }
        try {
            Double.parseDouble(trimmed);
            return "number";
        } catch (NumberFormatException e) {
            return "string";
        }
    }

    private static Flag flag(String key, JsonNode value, FlagType type) {
        Objects.requireNonNull(key, "key");
        if (type == FlagType.BOOLEAN) {
            return Flag.booleanFlag(key).enabled(value.booleanValue()).build();
        }
        return Flag.builder(key, type)
                .enabled(true)
                .variant(VARIANT, value)
                .offVariant(VARIANT)
                .fallthrough(Serve.variant(VARIANT))
                .build();
    }
}
