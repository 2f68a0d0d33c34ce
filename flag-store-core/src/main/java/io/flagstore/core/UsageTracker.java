package io.flagstore.core;

import io.flagstore.core.internal.EvalResult;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which flags were evaluated since the last {@link #collect()} (docs/flag-debt.md).
 *
 * <p>Implementation notes: one {@link Mark} per flag key, cached in {@link EvalResult#usageSlot} so
 * the hot path is a field read, an identity check and a plain boolean read (written only when not
 * yet set, so a hot flag's cache line stays shared between cores). The marks are deliberately not
 * volatile and not atomic: a mark set concurrently with a collection may be seen one interval late
 * or, if it lands between the collector's read and reset, dropped for this interval; a flag in use is
 * evaluated again, so usage stays correct to within an interval.
 */
final class UsageTracker {
    private final Map<String, Mark> marks = new ConcurrentHashMap<>();

    static final class Mark {
        final UsageTracker owner;
        boolean used;

        Mark(UsageTracker owner) {
            this.owner = owner;
        }
    }

    /** Marks the flag of a served evaluation: the hot path. */
    void evaluated(EvalResult result) {
        if (result.usageSlot instanceof Mark mark && mark.owner == this) {
            if (!mark.used) {
                mark.used = true;
            }
        } else {
            Mark mark = marks.computeIfAbsent(result.flagKey(), k -> new Mark(this));
            result.usageSlot = mark; // benign race: every writer stores this tracker's mark for the key
            mark.used = true;
        }
    }

    /** Marks flag {@code key} by name: for the rare paths (overrides, errors on an existing flag). */
    void evaluated(String key) {
        marks.computeIfAbsent(key, k -> new Mark(this)).used = true;
    }

    /** The keys marked since the previous call, sorted; resets their marks. */
    Set<String> collect() {
        Set<String> used = new TreeSet<>();
        marks.forEach((key, mark) -> {
            if (mark.used) {
                mark.used = false;
                used.add(key);
            }
        });
        return used;
    }
}
