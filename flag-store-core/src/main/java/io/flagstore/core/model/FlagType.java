package io.flagstore.core.model;

/** The type of a flag's variant values. JSON names are the lower-case constant names. */
public enum FlagType {
    /** Variants are JSON booleans. */
    BOOLEAN,
    /** Variants are JSON strings. */
    STRING,
    /** Variants are JSON numbers. */
    NUMBER,
    /** Variants are any JSON value (objects, arrays, scalars). */
    JSON
}
