package io.flagstore.core.model;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * An unmodifiable map in insertion order, held in one array: a flag's variants and targets are a
 * few entries each, held by every client for every flag, where a {@code LinkedHashMap} costs about
 * three times the memory. Lookups scan, which for a few entries is as fast as hashing; evaluation
 * does not use these maps (it compiles its own).
 *
 * <p>Immutable and thread-safe when its keys and values are.
 */
final class OrderedMap<K, V> extends AbstractMap<K, V> {
    private static final OrderedMap<Object, Object> EMPTY = new OrderedMap<>(new Object[0]);

    private final Object[] entries; // key 0, value 0, key 1, value 1, ...: one array, one header

    private OrderedMap(Object[] entries) {
        this.entries = entries;
    }

    /** An unmodifiable copy of {@code map} in its iteration order (itself if it is one already). */
    @SuppressWarnings("unchecked")
    static <K, V> Map<K, V> copyOf(Map<? extends K, ? extends V> map) {
        if (map instanceof OrderedMap<?, ?>) {
            return (Map<K, V>) map;
        }
        if (map.isEmpty()) {
            return (Map<K, V>) EMPTY;
        }
        Object[] entries = new Object[2 * map.size()];
        int i = 0;
        for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
            entries[i++] = e.getKey();
            entries[i++] = e.getValue();
        }
        return new OrderedMap<>(entries);
    }

    @Override
    public int size() {
        return entries.length / 2;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : (V) entries[2 * i + 1];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < size(); i++) {
            if (Objects.equals(entries[2 * i], key)) {
                return i;
            }
        }
        return -1;
    }

    // The views are made per call, not cached as AbstractMap caches them: a cached view would cost
    // every flag of every client a field's worth of object for a call made once.
    @Override
    @SuppressWarnings("unchecked")
    public Set<K> keySet() {
        return set(list(i -> (K) entries[2 * i]));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Collection<V> values() {
        return list(i -> (V) entries[2 * i + 1]);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Set<Map.Entry<K, V>> entrySet() {
        return set(list(i -> new SimpleImmutableEntry<>((K) entries[2 * i], (V) entries[2 * i + 1])));
    }

    /** The entries' {@code at(i)} in order, as an unmodifiable list. */
    private <T> List<T> list(IntFunction<T> at) {
        return new AbstractList<>() {
            @Override
            public T get(int index) {
                return at.apply(Objects.checkIndex(index, size()));
            }

            @Override
            public int size() {
                return OrderedMap.this.size();
            }
        };
    }

    /** {@code elements}, which are distinct, as an unmodifiable set. */
    private static <T> Set<T> set(List<T> elements) {
        return new AbstractSet<>() {
            @Override
            public Iterator<T> iterator() {
                return elements.iterator();
            }

            @Override
            public int size() {
                return elements.size();
            }
        };
    }
}
