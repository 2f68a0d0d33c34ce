package io.flagstore.redis;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Several upserts and deletes of flags and segments written by {@link FlagAdmin#apply} as one
 * version, one audit entry and one change message: every service applies all of it at once.
 *
 * <pre>{@code
 * admin.apply(Batch.builder()
 *         .put(checkoutV2)
 *         .delete("old-checkout", 41)   // only if still at version 41
 *         .build(), WriteOptions.defaults().withReason("release 7.3"));
 * }</pre>
 *
 * <p>Without an expected version, an item is written over whatever the key holds when the batch
 * runs (the batch is re-planned if that changes concurrently). Immutable and thread-safe.
 */
public final class Batch {
    private final List<Change> changes;

    private Batch(List<Change> changes) {
        this.changes = List.copyOf(changes);
    }

    /** {@return a new, empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** The items, in the order added. */
    List<Change> changes() {
        return changes;
    }

    /** {@return the number of items} */
    public int size() {
        return changes.size();
    }

    @Override
    public String toString() {
        return "Batch"
                + changes.stream()
                        .map(c -> (c.isDelete() ? "-" : "+") + c.displayKey())
                        .toList();
    }

    /** Builder for {@link Batch}; each key may appear once. Not thread-safe. */
    public static final class Builder {
        private final List<Change> changes = new ArrayList<>();
        private final Set<String> keys = new HashSet<>();

        private Builder() {}

        /** Creates or replaces a flag. */
        public Builder put(Flag flag) {
            return add(Change.putFlag(Objects.requireNonNull(flag, "flag"), null, false));
        }

        /** Creates or replaces a flag if its current version is {@code expectedVersion} (0: absent). */
        public Builder put(Flag flag, long expectedVersion) {
            return add(Change.putFlag(Objects.requireNonNull(flag, "flag"), version(expectedVersion), true));
        }

        /** Deletes a flag, which must exist. */
        public Builder delete(String key) {
            return add(Change.deleteFlag(Objects.requireNonNull(key, "key"), null, false));
        }

        /** Deletes a flag if its current version is {@code expectedVersion}. */
        public Builder delete(String key, long expectedVersion) {
            return add(Change.deleteFlag(Objects.requireNonNull(key, "key"), version(expectedVersion), true));
        }

        /** Creates or replaces a segment. */
        public Builder putSegment(Segment segment) {
            return add(Change.putSegment(Objects.requireNonNull(segment, "segment"), null, false));
        }

        /** Creates or replaces a segment if its current version is {@code expectedVersion} (0: absent). */
        public Builder putSegment(Segment segment, long expectedVersion) {
            return add(Change.putSegment(Objects.requireNonNull(segment, "segment"), version(expectedVersion), true));
        }

        /** Deletes a segment, which must exist. */
        public Builder deleteSegment(String key) {
            return add(Change.deleteSegment(Objects.requireNonNull(key, "key"), null, false));
        }

        /** Deletes a segment if its current version is {@code expectedVersion}. */
        public Builder deleteSegment(String key, long expectedVersion) {
            return add(Change.deleteSegment(Objects.requireNonNull(key, "key"), version(expectedVersion), true));
        }

        /**
         * Builds the batch.
         *
         * @throws IllegalStateException if it is empty
         */
        public Batch build() {
            if (changes.isEmpty()) {
                throw new IllegalStateException("a batch needs at least one item");
            }
            return new Batch(changes);
        }

        private Builder add(Change change) {
            if (!keys.add(change.displayKey())) {
                throw new IllegalArgumentException("'" + change.displayKey() + "' is already in this batch");
            }
            changes.add(change);
            return this;
        }

        private static Long version(long expectedVersion) {
            if (expectedVersion < 0) {
                throw new IllegalArgumentException("expectedVersion must be >= 0, not " + expectedVersion);
            }
            return expectedVersion;
        }
    }
}
