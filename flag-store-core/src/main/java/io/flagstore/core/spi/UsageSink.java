package io.flagstore.core.spi;

import java.time.Instant;
import java.util.Set;

/**
 * Optional capability of a {@link FlagSource}: receives which flags the client evaluated, so the
 * store can report flags nobody uses any more (docs/flag-debt.md). A {@code FlagClient} whose source
 * implements it collects usage in the background and calls {@link #flagsEvaluated} once per usage
 * interval, and once more on close, from its usage thread, never from an evaluating thread.
 */
public interface UsageSink {
    /**
     * Records that every flag in {@code keys} was evaluated at least once in the interval ending at
     * {@code at}. Must not block for long and should not throw (a thrown exception is logged and the
     * keys are dropped: usage is best effort).
     *
     * @param keys the flag keys evaluated since the previous call; never empty, unmodifiable
     * @param at when the keys were collected
     */
    void flagsEvaluated(Set<String> keys, Instant at);
}
