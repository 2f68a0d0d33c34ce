package io.flagstore.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who (or what) a flag is evaluated for: a targeting key plus typed attributes that rules compare
 * with. Immutable and thread-safe; cheap enough to build per request.
 *
 * <p>Attribute values are strings, numbers (kept as {@code double}), booleans, instants, or lists of
 * those (kept as immutable lists, elements normalised the same way). The attribute name {@code
 * "key"} is reserved for the targeting key.
 *
 * <pre>{@code
 * EvaluationContext ctx = EvaluationContext.builder("user-42")
 *         .set("country", "DE")
 *         .set("plan", "pro")
 *         .set("age", 37)
 *         .set("groups", List.of("beta", "staff"))
 *         .build();
 * }</pre>
 */
public final class EvaluationContext {
    /** The reserved attribute name under which rules see the targeting key. */
    public static final String KEY = "key";

    private static final Object[] NO_ENTRIES = {};

    private final String key;
    // Names and values interleaved in one array scanned linearly: contexts hold a handful of
    // attributes, and one small array beats a HashMap's node chasing, in time, allocations and
    // cache lines touched per evaluation.
    private final Object[] entries;

    private EvaluationContext(String key, Object[] entries) {
        this.key = key;
        this.entries = entries;
    }

    /**
     * A context with a targeting key and no attributes.
     *
     * @throws NullPointerException if {@code key} is null
     */
    public static EvaluationContext of(String key) {
        return new EvaluationContext(Objects.requireNonNull(key, "key"), NO_ENTRIES);
    }

    /**
     * A builder for a context with the given targeting key.
     *
     * @throws NullPointerException if {@code key} is null
     */
    public static Builder builder(String key) {
        return new Builder(Objects.requireNonNull(key, "key"));
    }

    /** The targeting key, never {@code null}. */
    public String key() {
        return key;
    }

    /**
     * The value of an attribute: a {@code String}, {@code Double}, {@code Boolean}, {@code Instant}
     * or an immutable {@code List} of those; the targeting key for {@code "key"}; {@code null} when
     * the attribute is not set.
     */
    public Object attribute(String name) {
        Object[] e = entries;
        // Identity first: rule attribute names are interned when compiled and names in application
        // code are literals, so this pass almost always finds the attribute without comparing chars.
        for (int i = 0; i < e.length; i += 2) {
            if (e[i] == name) {
                return e[i + 1];
            }
        }
        if (KEY.equals(name)) {
            return key;
        }
        for (int i = 0; i < e.length; i += 2) {
            if (e[i].equals(name)) {
                return e[i + 1];
            }
        }
        return null;
    }

    /** The attributes (without the targeting key), in the order first set; an immutable copy. */
    public Map<String, Object> attributes() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            map.put((String) entries[i], entries[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvaluationContext other
                && key.equals(other.key)
                && attributes().equals(other.attributes());
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + attributes().hashCode();
    }

    @Override
    public String toString() {
        return "EvaluationContext{key=" + key + ", attributes=" + attributes() + "}";
    }

    /**
     * Collects attributes for an {@link EvaluationContext}. Setting a name again replaces its value;
     * a {@code null} value leaves the attribute unset (convenient for optional request data). Not
     * thread-safe; build one per request.
     */
    public static final class Builder {
        private final String key;
        private String[] names = new String[4];
        private Object[] values = new Object[4];
        private int size;

        private Builder(String key) {
            this.key = key;
        }

        /** Sets a string attribute; {@code null} unsets it. */
        public Builder set(String name, String value) {
            return put(name, value);
        }

        /** Sets a numeric attribute (stored as a {@code double}). */
        public Builder set(String name, long value) {
            return put(name, (double) value);
        }

        /** Sets a numeric attribute. */
        public Builder set(String name, double value) {
            return put(name, value);
        }

        /** Sets a boolean attribute. */
        public Builder set(String name, boolean value) {
            return put(name, value);
        }

        /** Sets an instant attribute (compared by {@code before}/{@code after}); {@code null} unsets it. */
        public Builder set(String name, Instant value) {
            return put(name, value);
        }

        /**
         * Sets a list attribute: a clause matches when any element matches. Elements must be strings,
         * numbers, booleans or instants; numbers are stored as {@code double}. {@code null} unsets it.
         *
         * @throws IllegalArgumentException if an element is {@code null} or of another type
         */
        public Builder set(String name, List<?> value) {
            if (value == null) {
                return put(name, null);
            }
            List<Object> copy = new ArrayList<>(value.size());
            for (int i = 0; i < value.size(); i++) {
                Object element = value.get(i);
                Object normalised = normalise(element);
                if (normalised == null) {
                    throw new IllegalArgumentException("attribute '" + name + "' element " + i + " is "
                            + (element == null
                                    ? "null"
                                    : "a " + element.getClass().getName())
                            + "; expected String, Number, Boolean or Instant");
                }
                copy.add(normalised);
            }
            return put(name, Collections.unmodifiableList(copy));
        }

        private static Object normalise(Object element) {
            if (element instanceof String || element instanceof Boolean || element instanceof Instant) {
                return element;
            }
            if (element instanceof Double) {
                return element;
            }
            if (element instanceof Number number) {
                return number.doubleValue();
            }
            return null;
        }

        private Builder put(String name, Object value) {
            Objects.requireNonNull(name, "name");
            if (KEY.equals(name)) {
                throw new IllegalArgumentException(
                        "attribute name 'key' is reserved for the targeting key; pass it to builder(key)");
            }
            for (int i = 0; i < size; i++) {
                if (names[i].equals(name)) {
                    if (value == null) {
                        System.arraycopy(names, i + 1, names, i, size - i - 1);
                        System.arraycopy(values, i + 1, values, i, size - i - 1);
                        size--;
                        names[size] = null;
                        values[size] = null;
                    } else {
                        values[i] = value;
                    }
                    return this;
                }
            }
            if (value == null) {
                return this;
            }
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            names[size] = name;
            values[size] = value;
            size++;
            return this;
        }

        /** Builds the immutable context; the builder may be reused afterwards. */
        public EvaluationContext build() {
            if (size == 0) {
                return new EvaluationContext(key, NO_ENTRIES);
            }
            Object[] entries = new Object[2 * size];
            for (int i = 0; i < size; i++) {
                entries[2 * i] = names[i];
                entries[2 * i + 1] = values[i];
            }
            return new EvaluationContext(key, entries);
        }
    }
}
