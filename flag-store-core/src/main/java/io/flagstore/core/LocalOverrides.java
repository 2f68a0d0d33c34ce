package io.flagstore.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values that win over the flag source, for local development only (for example running a service
 * on a laptop with {@code NEW_CHECKOUT_ENABLED=true}). Off unless passed to {@link
 * FlagClient.Builder#overrides(LocalOverrides)}. An overridden evaluation reports {@link
 * Reason#OVERRIDE} with variant {@value #VARIANT}; an override whose text does not fit the type
 * asked for (for example {@code boolValue} on {@code "blue"}) serves the default with {@link
 * ErrorKind#TYPE_MISMATCH}.
 *
 * <p>Sources and their naming:
 *
 * <ul>
 *   <li>{@link #fromEnvironment()}: {@code FLAGSTORE_FLAG_<NAME>=value} for any type, and {@code
 *       <NAME>_ENABLED=true|false} for booleans (other values of {@code *_ENABLED} are ignored).
 *       {@code <NAME>} is the flag key upper-cased with {@code -} and {@code .} written as {@code _}:
 *       {@code NEW_CHECKOUT_ENABLED=true} and {@code FLAGSTORE_FLAG_NEW_CHECKOUT=true} both set
 *       {@code new-checkout} (and {@code new_checkout}, {@code new.checkout}). The {@code
 *       FLAGSTORE_FLAG_} form wins when both are set.
 *   <li>{@link #fromSystemProperties()}: {@code -Dflagstore.flag.<key>=value} with the exact key.
 *   <li>{@link #of(Map)}: exact keys to values ({@code Boolean}, {@code Number}, {@code String} or
 *       Jackson {@code JsonNode}).
 * </ul>
 *
 * <p>A text value serves {@code boolValue} when it is {@code true} or {@code false} (any case),
 * {@code numberValue}/{@code intValue} when it parses as a number, {@code stringValue} always, and
 * {@code jsonValue} as JSON when it parses, else as a JSON string.
 *
 * <p>Immutable and thread-safe.
 */
public final class LocalOverrides {
    /** The variant name reported for an overridden value. */
    public static final String VARIANT = "override";

    static final String ENV_PREFIX = "FLAGSTORE_FLAG_";
    static final String ENV_BOOLEAN_SUFFIX = "_ENABLED";
    static final String PROPERTY_PREFIX = "flagstore.flag.";

    private static final Value NONE = new Value(null, null, null, null);

    private final Map<String, Value> exact;
    private final Map<String, Value> byEnvName;
    /** Flag key to its environment match (or {@link #NONE}), so each key is normalized only once. */
    private final Map<String, Value> resolved = new ConcurrentHashMap<>();

    private LocalOverrides(Map<String, Value> exact, Map<String, Value> byEnvName) {
        this.exact = Map.copyOf(exact);
        this.byEnvName = Map.copyOf(byEnvName);
    }

    /** Overrides with exact flag keys; see the class comment for value types. */
    public static LocalOverrides of(Map<String, ?> values) {
        Map<String, Value> exact = new LinkedHashMap<>();
        values.forEach((key, value) -> exact.put(
                Objects.requireNonNull(key, "key"), Value.of(Objects.requireNonNull(value, () -> "value of " + key))));
        return new LocalOverrides(exact, Map.of());
    }

    /** Overrides read from this process's environment variables. */
    public static LocalOverrides fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Overrides read from the given environment-style map (same rules as {@link #fromEnvironment()}). */
    public static LocalOverrides fromEnvironment(Map<String, String> environment) {
        Map<String, Value> byName = new LinkedHashMap<>();
        environment.forEach((name, text) -> {
            if (name.endsWith(ENV_BOOLEAN_SUFFIX) && name.length() > ENV_BOOLEAN_SUFFIX.length()) {
                String flag = name.substring(0, name.length() - ENV_BOOLEAN_SUFFIX.length());
                Value value = Value.ofText(text);
                if (value.bool() != null) {
                    byName.putIfAbsent(flag, value);
                }
            }
        });
        environment.forEach((name, text) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                byName.put(name.substring(ENV_PREFIX.length()), Value.ofText(text));
            }
        });
        return new LocalOverrides(Map.of(), byName);
    }

    /** Overrides read from this JVM's system properties {@code flagstore.flag.<key>}. */
    public static LocalOverrides fromSystemProperties() {
        return fromSystemProperties(System.getProperties());
    }

    /** Overrides read from the given properties {@code flagstore.flag.<key>}. */
    public static LocalOverrides fromSystemProperties(Properties properties) {
        Map<String, Value> exact = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PROPERTY_PREFIX) && name.length() > PROPERTY_PREFIX.length()) {
                exact.put(name.substring(PROPERTY_PREFIX.length()), Value.ofText(properties.getProperty(name)));
            }
        }
        return new LocalOverrides(exact, Map.of());
    }

    /** These overrides, with {@code fallback}'s for keys these do not set. */
    public LocalOverrides orElse(LocalOverrides fallback) {
        Map<String, Value> exactMerged = new LinkedHashMap<>(fallback.exact);
        exactMerged.putAll(exact);
        Map<String, Value> namesMerged = new LinkedHashMap<>(fallback.byEnvName);
        namesMerged.putAll(byEnvName);
        return new LocalOverrides(exactMerged, namesMerged);
    }

    /** {@return whether no override is set at all} */
    public boolean isEmpty() {
        return exact.isEmpty() && byEnvName.isEmpty();
    }

    /** The override for {@code key}, or {@code null}. Exact keys win over environment names. */
    Value find(String key) {
        Value value = exact.get(key);
        if (value != null || byEnvName.isEmpty()) {
            return value;
        }
        Value match = resolved.computeIfAbsent(key, k -> byEnvName.getOrDefault(envName(k), NONE));
        return match == NONE ? null : match;
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    @Override
    public String toString() {
        return "LocalOverrides" + exact.keySet() + byEnvName.keySet();
    }

    /** One override, pre-interpreted for every getter; a {@code null} component is a type mismatch. */
    record Value(Boolean bool, String text, Double number, JsonNode json) {
        static Value of(Object value) {
            if (value instanceof Boolean b) {
                return new Value(b, b.toString(), null, BooleanNode.valueOf(b));
            }
            if (value instanceof Number n) {
                return new Value(null, n.toString(), n.doubleValue(), Conversion.MAPPER.valueToTree(n));
            }
            if (value instanceof JsonNode node) {
                return new Value(
                        node.isBoolean() ? node.booleanValue() : null,
                        node.isTextual() ? node.textValue() : node.toString(),
                        node.isNumber() ? node.doubleValue() : null,
                        node);
            }
            if (value instanceof String s) {
                return ofText(s);
            }
            throw new IllegalArgumentException("override value must be Boolean, Number, String or JsonNode, not "
                    + value.getClass().getName());
        }

        static Value ofText(String text) {
            String trimmed = text.trim();
            Boolean bool = trimmed.equalsIgnoreCase("true")
                    ? Boolean.TRUE
                    : trimmed.equalsIgnoreCase("false") ? Boolean.FALSE : null;
            Double number;
            try {
                number = Double.valueOf(trimmed);
                if (number.isNaN() || number.isInfinite()) {
                    number = null;
                }
            } catch (NumberFormatException e) {
                number = null;
            }
            JsonNode json;
            try {
                json = bool != null ? BooleanNode.valueOf(bool) : Conversion.MAPPER.readTree(trimmed);
            } catch (JsonProcessingException e) {
                json = null;
            }
            if (json == null || json.isMissingNode()) {
                json = TextNode.valueOf(text);
            }
            return new Value(bool, text, number, json);
        }
    }
}
