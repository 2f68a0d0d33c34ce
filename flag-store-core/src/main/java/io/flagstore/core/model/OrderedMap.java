package io.flagstore.core.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * An unmodifiable map in insertion order, held in two arrays: a flag's variants and targets are a
 * few entries each, held by every client for every flag, where a {@code LinkedHashMap} costs about
 * three times the memory. Lookups scan, which for a few entries is as fast as hashing; evaluation
 * does not use these maps (it compiles its own).
 *
 * <p>Immutable and thread-safe when its keys and values are.
 */
final class OrderedMap<K, V> extends AbstractMap<K, V> {
    private static final OrderedMap<Object, Object> EMPTY = new OrderedMap<>(new Object[0], new Object[0]);

    private final Object[] keys;
    private final Object[] values;

    private OrderedMap(Object[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
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
        Object[] keys = new Object[map.size()];
        Object[] values = new Object[keys.length];
        int i = 0;
        for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
            keys[i] = e.getKey();
            values[i++] = e.getValue();
        }
        return new OrderedMap<>(keys, values);
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : (V) values[i];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (Objects.equals(keys[i], key)) {
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
        return view(i -> (K) keys[i]);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Collection<V> values() {
        return (List<V>) Collections.unmodifiableList(Arrays.asList(values));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Set<Map.Entry<K, V>> entrySet() {
        return view(i -> new SimpleImmutableEntry<>((K) keys[i], (V) values[i]));
    }

    /** The entries' {@code at(i)} in order, as an unmodifiable set. */
    private <T> Set<T> view(IntFunction<T> at) {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<T> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public T next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        return at.apply(next++);
                    }
                };
            }
        };
    }
}
