package io.flagstore.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flagstore.core.model.FlagType;

/**
 * How a typed getter turns a served value into the caller's type; {@code null} means a type
 * mismatch. Returning the very object it was given lets the caller reuse the engine's shared
 * detail instead of allocating.
 */
abstract class Conversion<T> {
    static final ObjectMapper MAPPER = new ObjectMapper();

    static final Conversion<Boolean> BOOLEAN = new Conversion<>() {
        @Override
        Boolean fromValue(Object value, FlagType type) {
            return type == FlagType.BOOLEAN && value instanceof Boolean b ? b : null;
        }

        @Override
        Boolean fromOverride(LocalOverrides.Value value) {
            return value.bool();
        }
    };

    static final Conversion<String> STRING = new Conversion<>() {
        @Override
        String fromValue(Object value, FlagType type) {
            return type == FlagType.STRING && value instanceof String s ? s : null;
        }

        @Override
        String fromOverride(LocalOverrides.Value value) {
            return value.text();
        }
    };

    static final Conversion<Double> NUMBER = new Conversion<>() {
        @Override
        Double fromValue(Object value, FlagType type) {
            if (type != FlagType.NUMBER) {
                return null;
            }
            if (value instanceof Double d) {
                return d;
            }
            if (value instanceof Number n) {
                return n.doubleValue();
            }
            return value instanceof JsonNode node && node.isNumber() ? node.doubleValue() : null;
        }

        @Override
        Double fromOverride(LocalOverrides.Value value) {
            return value.number();
        }
    };

    /** Integral numbers within int range only: 2.5 or 1e10 are a type mismatch, not silently cut. */
    static final Conversion<Integer> INT = new Conversion<>() {
        @Override
        Integer fromValue(Object value, FlagType type) {
            return toInt(NUMBER.fromValue(value, type));
        }

        @Override
        Integer fromOverride(LocalOverrides.Value value) {
            return toInt(value.number());
        }

        private Integer toInt(Double d) {
            return d != null && isInt(d) ? (int) d.doubleValue() : null;
        }
    };

    static boolean isInt(double d) {
        return d == (int) d; // false for NaN, infinities and values beyond int range
    }

    /** Any flag type, converted with Jackson; a failed conversion is a type mismatch. */
    static <T> Conversion<T> json(Class<T> type) {
        return new Conversion<>() {
            @Override
            T fromValue(Object value, FlagType flagType) {
                return convert(value);
            }

            @Override
            T fromOverride(LocalOverrides.Value value) {
                return convert(value.json());
            }

            private T convert(Object value) {
                if (value == null) {
                    return null;
                }
                if (type.isInstance(value)) {
                    // JSON values are shared by every evaluation: hand out a copy the caller may change
                    return type.cast(value instanceof JsonNode node ? node.deepCopy() : value);
                }
                try {
                    return MAPPER.convertValue(value, type);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        };
    }

    abstract T fromValue(Object value, FlagType type);

    abstract T fromOverride(LocalOverrides.Value value);
}
