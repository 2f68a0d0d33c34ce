package io.flagstore.redis.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A mutable map from string keys to non-null values in one array: what a source holds of every
 * flag, so a client pays 12 to 24 bytes per entry instead of a {@code HashMap}'s 40 (a node per
 * entry and its slot in the table).
 *
 * <p>Implementation notes: keys and values interleaved in one {@code Object[]}, open addressing
 * with linear probing, at most two thirds full, so a probe always reaches an empty slot; a removal
 * shifts the entries of its probe run back instead of leaving a tombstone. The entry set's iterator
 * is read-only. Not thread-safe.
 *
 * @param <V> the value type
 */
final class CompactMap<V> extends AbstractMap<String, V> {
    private static final int MIN_SLOTS = 8;

    private Object[] table = new Object[MIN_SLOTS * 2];
    private int size;
    private Set<Map.Entry<String, V>> entries;

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String s && table[slot(table, s)] != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        return key instanceof String s ? (V) table[slot(table, s) + 1] : null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V put(String key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        int i = slot(table, key);
        if (table[i] != null) {
            V old = (V) table[i + 1];
            table[i + 1] = value;
            return old;
        }
        if ((size + 1) * 3 > slots() * 2) {
            resize(slots() * 2);
            i = slot(table, key);
        }
        table[i] = key;
        table[i + 1] = value;
        size++;
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        if (!(key instanceof String s)) {
            return null;
        }
        int i = slot(table, s);
        if (table[i] == null) {
            return null;
        }
        V old = (V) table[i + 1];
        int mask = table.length - 1;
        // shift back every later entry of the run that may no longer be reached past the hole
        for (int next = (i + 2) & mask; table[next] != null; next = (next + 2) & mask) {
            int home = home((String) table[next], mask);
            boolean reachable = i <= next ? i < home && home <= next : i < home || home <= next;
            if (!reachable) {
                table[i] = table[next];
                table[i + 1] = table[next + 1];
                i = next;
            }
        }
        table[i] = null;
        table[i + 1] = null;
        size--;
        return old;
    }

    @Override
    public void clear() {
        table = new Object[MIN_SLOTS * 2];
        size = 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super String, ? super V> action) {
        Object[] t = table;
        for (int i = 0; i < t.length; i += 2) {
            if (t[i] != null) {
                action.accept((String) t[i], (V) t[i + 1]);
            }
        }
    }

    @Override
    public Set<Map.Entry<String, V>> entrySet() {
        if (entries == null) {
            entries = new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, V>> iterator() {
                    return new EntryIterator();
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }
        return entries;
    }

    private int slots() {
        return table.length / 2;
    }

    private void resize(int slots) {
        Object[] old = table;
        table = new Object[slots * 2];
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != null) {
                int j = slot(table, (String) old[i]);
                table[j] = old[i];
                table[j + 1] = old[i + 1];
            }
        }
    }

    /** Where {@code key} is in {@code table}, or the empty slot where it would go (an even index). */
    private static int slot(Object[] table, String key) {
        int mask = table.length - 1;
        int i = home(key, mask);
        while (table[i] != null && !key.equals(table[i])) {
            i = (i + 2) & mask;
        }
        return i;
    }

    private static int home(String key, int mask) {
        int h = key.hashCode();
        return ((h ^ (h >>> 16)) << 1) & mask;
    }

    private final class EntryIterator implements Iterator<Map.Entry<String, V>> {
        private final Object[] t = table;
        private int index = advance(0);

        private int advance(int from) {
            int i = from;
            while (i < t.length && t[i] == null) {
                i += 2;
            }
            return i;
        }

        @Override
        public boolean hasNext() {
            return index < t.length;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map.Entry<String, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Map.Entry<String, V> entry = new SimpleImmutableEntry<>((String) t[index], (V) t[index + 1]);
            index = advance(index + 2);
            return entry;
        }
    }
}
