package io.flagstore.core.internal;

import java.util.Collection;

/**
 * An immutable set of strings for {@code in}/{@code notIn} clauses.
 *
 * <p>Implementation notes: open addressing over one array, so a lookup is the string's cached hash,
 * one array load and an identity check (clause values are interned, and so are the literals
 * applications pass), instead of {@code HashSet}'s chain of set, map, table and node. The table is
 * at most half full, so a probe always reaches an empty slot.
 */
final class StringSet {
    private final String[] table;
    private final int mask;

    StringSet(Collection<String> values) {
        int capacity = Integer.highestOneBit(Math.max(1, values.size()) * 2 - 1) << 1;
        table = new String[capacity];
        mask = capacity - 1;
        for (String value : values) {
            int i = slot(value);
            while (table[i] != null && !table[i].equals(value)) {
                i = (i + 1) & mask;
            }
            table[i] = value;
        }
    }

    boolean contains(String s) {
        String[] t = table;
        for (int i = slot(s); ; i = (i + 1) & mask) {
            String e = t[i];
            if (e == null) {
                return false;
            }
            if (e == s || e.equals(s)) {
                return true;
            }
        }
    }

    private int slot(String s) {
        int h = s.hashCode();
        return (h ^ (h >>> 16)) & mask;
    }
}
