package io.flagstore.core.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * An immutable map from string keys to non-null values whose {@link #with} copies only the shards
 * a change touches, so deriving a snapshot from a write costs O(changed keys x shard size), not
 * O(size): the table behind every {@link CompiledSnapshot}.
 *
 * <p>Implementation notes: {@value #SHARDS} shards selected by the low bits of the spread hash;
 * each shard is one {@code Object[]} of interleaved keys and values, open addressing with linear
 * probing at a load factor of at most 1/2, so a lookup touches the shard array, the shard and the
 * key (as {@code HashMap} touches its table, a node and the key). A changed shard is rebuilt
 * whole, which also makes removal trivial (no tombstones). With 10,000 keys a shard holds about
 * 160 and a single-key write copies about 2.5 KB.
 *
 * @param <V> the value type
 */
final class ShardedMap<V> {
    static final int SHARDS = 64;
    private static final int SHARD_BITS = Integer.numberOfTrailingZeros(SHARDS);
    private static final Object[] EMPTY_SHARD = new Object[2];
    private static final ShardedMap<?> EMPTY = new ShardedMap<>(emptyShards(), 0);

    private final Object[][] shards;
    private final int size;

    private ShardedMap(Object[][] shards, int size) {
        this.shards = shards;
        this.size = size;
    }

    private static Object[][] emptyShards() {
        Object[][] shards = new Object[SHARDS][];
        Arrays.fill(shards, EMPTY_SHARD);
        return shards;
    }

    @SuppressWarnings("unchecked")
    static <V> ShardedMap<V> empty() {
        return (ShardedMap<V>) EMPTY;
    }

    /** A map holding {@code entries} (null values are not allowed). */
    static <V> ShardedMap<V> of(Map<String, ? extends V> entries) {
        return ShardedMap.<V>empty().with(entries);
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /** The value for {@code key}, or {@code null}. The hot path of every evaluation. */
    @SuppressWarnings("unchecked")
    V get(String key) {
        int h = spread(key.hashCode());
        Object[] shard = shards[h & (SHARDS - 1)];
        int mask = shard.length - 1;
        for (int i = (h >>> SHARD_BITS << 1) & mask; ; i = (i + 2) & mask) {
            Object k = shard[i];
            if (k == null) {
                return null;
            }
            if (k == key || key.equals(k)) {
                return (V) shard[i + 1];
            }
        }
    }

    int size() {
        return size;
    }

    /**
     * A map with {@code changes} applied: a {@code null} value removes the key. {@code this} is
     * unchanged; shards no change touches are shared with it.
     */
    ShardedMap<V> with(Map<String, ? extends V> changes) {
        if (changes.isEmpty()) {
            return this;
        }
        List<List<Map.Entry<String, ? extends V>>> byShard = new ArrayList<>(SHARDS);
        for (int s = 0; s < SHARDS; s++) {
            byShard.add(null);
        }
        boolean touched = false;
        for (Map.Entry<String, ? extends V> change : changes.entrySet()) {
            if (change.getValue() == get(change.getKey())) {
                continue; // no change (e.g. removing an absent key): leave the shard shared
            }
            touched = true;
            int s = spread(change.getKey().hashCode()) & (SHARDS - 1);
            if (byShard.get(s) == null) {
                byShard.set(s, new ArrayList<>());
            }
            byShard.get(s).add(change);
        }
        if (!touched) {
            return this;
        }
        Object[][] newShards = shards.clone();
        int newSize = size;
        for (int s = 0; s < SHARDS; s++) {
            List<Map.Entry<String, ? extends V>> shardChanges = byShard.get(s);
            if (shardChanges != null) {
                Object[] old = shards[s];
                Object[] changed = putInPlace(old.clone(), shardChanges);
                if (changed == null) {
                    changed = rebuild(old, shardChanges);
                }
                newShards[s] = changed;
                newSize += count(changed) - count(old);
            }
        }
        return new ShardedMap<>(newShards, newSize);
    }

    private static int count(Object[] shard) {
        int n = 0;
        for (int i = 0; i < shard.length; i += 2) {
            if (shard[i] != null) {
                n++;
            }
        }
        return n;
    }

    /** The slot index of {@code key} in {@code shard}: where it is, or the free slot where it would go. */
    private static int slot(Object[] shard, String key) {
        int mask = shard.length - 1;
        int i = (spread(key.hashCode()) >>> SHARD_BITS << 1) & mask;
        while (shard[i] != null && !key.equals(shard[i])) {
            i = (i + 2) & mask;
        }
        return i;
    }

    /**
     * The common case, a few upserts into a shard with room: applied to {@code copy} (a clone of the
     * shard), which is returned; {@code null} when a removal or the load factor needs a rebuild.
     */
    private static <V> Object[] putInPlace(Object[] copy, List<Map.Entry<String, ? extends V>> changes) {
        int free = copy.length / 4 - count(copy); // insertions allowed before the load exceeds 1/2
        for (Map.Entry<String, ? extends V> change : changes) {
            if (change.getValue() == null) {
                return null;
            }
            int i = slot(copy, change.getKey());
            if (copy[i] == null) {
                if (--free < 0) {
                    return null;
                }
                copy[i] = change.getKey();
            }
            copy[i + 1] = change.getValue();
        }
        return copy;
    }

    private static <V> Object[] rebuild(Object[] old, List<Map.Entry<String, ? extends V>> changes) {
        Map<String, Object> entries = new HashMap<>();
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != null) {
                entries.put((String) old[i], old[i + 1]);
            }
        }
        for (Map.Entry<String, ? extends V> change : changes) {
            if (change.getValue() == null) {
                entries.remove(change.getKey());
            } else {
                entries.put(change.getKey(), change.getValue());
            }
        }
        if (entries.isEmpty()) {
            return EMPTY_SHARD;
        }
        // slots: the smallest power of two of at least twice the entries (load <= 1/2)
        Object[] shard = new Object[(Integer.highestOneBit(entries.size() * 2 - 1) << 1) * 2];
        entries.forEach((key, value) -> {
            int i = slot(shard, key);
            shard[i] = key;
            shard[i + 1] = value;
        });
        return shard;
    }

    /** Calls {@code action} for every entry, in no particular order. */
    @SuppressWarnings("unchecked")
    void forEach(BiConsumer<String, ? super V> action) {
        for (Object[] shard : shards) {
            for (int i = 0; i < shard.length; i += 2) {
                if (shard[i] != null) {
                    action.accept((String) shard[i], (V) shard[i + 1]);
                }
            }
        }
    }

    /** An unmodifiable live view as a {@code Map}, with each value mapped by {@code view}. */
    <R> Map<String, R> asMap(Function<? super V, ? extends R> view) {
        return new MapView<>(this, view);
    }

    /** A read-only {@code Map} over a sharded map: O(1) {@code get}, {@code containsKey} and {@code size}. */
    private static final class MapView<V, R> extends AbstractMap<String, R> {
        private final ShardedMap<V> map;
        private final Function<? super V, ? extends R> view;
        private Set<Map.Entry<String, R>> entries;

        MapView(ShardedMap<V> map, Function<? super V, ? extends R> view) {
            this.map = map;
            this.view = view;
        }

        @Override
        public R get(Object key) {
            V value = key instanceof String s ? map.get(s) : null;
            return value == null ? null : view.apply(value);
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String s && map.get(s) != null;
        }

        @Override
        public int size() {
            return map.size;
        }

        @Override
        public Set<Map.Entry<String, R>> entrySet() {
            Set<Map.Entry<String, R>> set = entries;
            if (set == null) {
                set = new AbstractSet<>() {
                    @Override
                    public Iterator<Map.Entry<String, R>> iterator() {
                        return new EntryIterator();
                    }

                    @Override
                    public int size() {
                        return map.size;
                    }
                };
                entries = set; // racy but benign: every thread builds an equivalent set
            }
            return set;
        }

        private final class EntryIterator implements Iterator<Map.Entry<String, R>> {
            private int shard;
            private int index = -2;

            EntryIterator() {
                advance();
            }

            private void advance() {
                index += 2;
                while (shard < SHARDS) {
                    Object[] s = map.shards[shard];
                    while (index < s.length && s[index] == null) {
                        index += 2;
                    }
                    if (index < s.length) {
                        return;
                    }
                    shard++;
                    index = 0;
                }
            }

            @Override
            public boolean hasNext() {
                return shard < SHARDS;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Map.Entry<String, R> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Object[] s = map.shards[shard];
                Map.Entry<String, R> entry =
                        new SimpleImmutableEntry<>((String) s[index], view.apply((V) s[index + 1]));
                advance();
                return entry;
            }
        }
    }
}
