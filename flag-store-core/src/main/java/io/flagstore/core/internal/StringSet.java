package io.flagstore.core.internal;

import java.util.Collection;

/**
 * Immutable string sets for {@code in}/{@code notIn} clauses, as bare hash tables.
 *
 * <p>Implementation notes: open addressing over one array, so a lookup is the string's cached hash,
 * one array load and an identity check (clause values are interned, and so are the literals
 * applications pass), instead of {@code HashSet}'s chain of set, map, table and node. The clause
 * keeps the table and its mask in its own fields, so the first probe is one dependent load away.
 * The table is at most half full, so a probe always reaches an empty slot.
 */
final class StringSet {
    private static final String[] EMPTY = new String[1];

    private StringSet() {}

    /** A table holding {@code values}; its length is a power of two, the mask is length - 1. */
    static String[] table(Collection<String> values) {
        if (values.isEmpty()) {
            return EMPTY; // shared: a clause of numbers only keeps no table of its own
        }
        int capacity = Integer.highestOneBit(Math.max(1, values.size()) * 2 - 1) << 1;
        String[] table = new String[capacity];
        int mask = capacity - 1;
        for (String value : values) {
            int i = slot(value, mask);
            while (table[i] != null && !table[i].equals(value)) {
                i = (i + 1) & mask;
            }
            table[i] = value;
        }
        return table;
    }

    /** Whether {@code table} (built by {@link #table}, with {@code mask} = its length - 1) holds {@code s}. */
    static boolean contains(String[] table, int mask, String s) {
        return indexOf(table, mask, s) >= 0;
    }

    /** The index of {@code s} in {@code table} (built by {@link #table}), or -1 when it holds no {@code s}. */
    static int indexOf(String[] table, int mask, String s) {
        for (int i = slot(s, mask); ; i = (i + 1) & mask) {
            String e = table[i];
            if (e == null) {
                return -1;
            }
            if (e == s || e.equals(s)) {
                return i;
            }
        }
    }

    private static int slot(String s, int mask) {
        int h = s.hashCode();
        return (h ^ (h >>> 16)) & mask;
    }
}
