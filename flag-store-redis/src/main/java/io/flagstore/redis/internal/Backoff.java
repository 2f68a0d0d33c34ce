package io.flagstore.redis.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: each delay is uniformly random between the minimum and a
 * ceiling that starts at twice the minimum and doubles per delay up to the cap. The randomness
 * spreads clients that failed together (a fleet whose loads timed out at once) instead of retrying
 * them in lockstep.
 *
 * <p>Not thread-safe (the updater thread's).
 */
final class Backoff {
    private final long minNanos;
    private final long capNanos;
    private final RandomGenerator random;
    private long ceilingNanos;

    Backoff(Duration min, Duration cap, RandomGenerator random) {
        if (min.isNegative() || min.isZero() || cap.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= cap, not " + min + " and " + cap);
        }
        this.minNanos = min.toNanos();
        this.capNanos = cap.toNanos();
        this.random = random;
        reset();
    }

    /** The next delay in nanoseconds; raises the ceiling for the one after. */
    long nextNanos() {
        long delay = random.nextLong(minNanos, ceilingNanos + 1);
        ceilingNanos = Math.min(capNanos, ceilingNanos * 2);
        return delay;
    }

    /** Starts again from the smallest delays (after a success). */
    void reset() {
        ceilingNanos = Math.min(capNanos, minNanos * 2);
    }
}
