package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoadSlotsTest {
    @Test
    void aLoadWaitsForAFreeSlotAndGivesUpWhenNoLongerWanted() {
        LoadSlots slots = new LoadSlots(2);
        assertThat(slots.take(() -> true)).isTrue();
        assertThat(slots.take(() -> true)).isTrue();

        AtomicInteger checks = new AtomicInteger();
        assertThat(slots.take(() -> checks.incrementAndGet() == 3))
                .as("no slot free: the wait ends when the load is no longer wanted")
                .isFalse();
        assertThat(checks).hasValue(3);

        slots.release();
        assertThat(slots.take(() -> {
                    throw new AssertionError("a free slot is taken without waiting");
                }))
                .isTrue();
    }

    @Test
    void anInterruptedThreadStopsWaitingAndKeepsItsFlag() {
        LoadSlots slots = new LoadSlots(1);
        assertThat(slots.take(() -> false)).isTrue();

        Thread.currentThread().interrupt();
        try {
            assertThat(slots.take(() -> false)).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted(); // clear it for the next test
        }
    }
}
