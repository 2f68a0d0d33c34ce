package io.flagstore.console.view;

/**
 * One changed field of a flag between two versions, as JSON text.
 *
 * @param field the field name, e.g. {@code enabled}
 * @param before the value before, or empty when absent
 * @param after the value after, or empty when absent
 */
public record DiffLine(String field, String before, String after) {}
