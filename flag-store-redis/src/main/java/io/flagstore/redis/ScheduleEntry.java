package io.flagstore.redis;

import java.time.Instant;

/**
 * A stored scheduled change and what became of it (docs/scheduling.md).
 *
 * @param id the schedule id
 * @param change what to do and when
 * @param actor who scheduled it; the applied write carries this actor
 * @param reason why, as given when scheduling; {@code null} if none
 * @param created when it was scheduled (Redis clock)
 * @param state pending, applied, cancelled or failed
 * @param settledAt when it left the pending state; {@code null} while pending
 * @param settledBy who applied, cancelled or failed it; {@code null} while pending
 * @param appliedVersion the namespace version of the applied write; 0 unless applied
 * @param detail the error of a failed change or the reason of a cancel; {@code null} otherwise
 */
public record ScheduleEntry(
        String id,
        ScheduledChange change,
        String actor,
        String reason,
        Instant created,
        State state,
        Instant settledAt,
        String settledBy,
        long appliedVersion,
        String detail) {

    /** The life of a scheduled change: pending, then exactly one of the others. */
    public enum State {
        /** Waiting for its due time. */
        PENDING,
        /** Written by a scheduler, once. */
        APPLIED,
        /** Cancelled before it ran. */
        CANCELLED,
        /** Refused when it ran (invalid against the flags then, or a missing flag); not retried. */
        FAILED
    }
}
