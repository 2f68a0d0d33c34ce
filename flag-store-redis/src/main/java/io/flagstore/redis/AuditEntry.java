package io.flagstore.redis;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import java.time.Instant;
import java.util.List;

/**
 * One write as recorded in the namespace's audit stream.
 *
 * @param id the stream entry id
 * @param version the namespace version the write created
 * @param op the operation, e.g. {@code create}, {@code disable}, {@code batch}
 * @param keys the keys written (segments as {@code segment:<key>})
 * @param actor who wrote
 * @param reason why, or {@code null}
 * @param writtenAt when
 * @param before the written flags as they were before (absent ones left out)
 * @param after the written flags as they are after (deleted ones left out), stamped with
 *     {@code version} and {@code writtenAt}
 * @param segmentsBefore the written segments before
 * @param segmentsAfter the written segments after
 * @param redisUser the Redis user the write was authenticated as ({@code ACL WHOAMI}; {@code default}
 *     without ACLs), or {@code null} for entries written before it was recorded. Unlike {@code actor},
 *     which the writer declares, it is what Redis knew about the connection.
 */
public record AuditEntry(
        String id,
        long version,
        String op,
        List<String> keys,
        String actor,
        String reason,
        Instant writtenAt,
        List<Flag> before,
        List<Flag> after,
        List<Segment> segmentsBefore,
        List<Segment> segmentsAfter,
        String redisUser) {
    public AuditEntry {
        keys = List.copyOf(keys);
        before = List.copyOf(before);
        after = List.copyOf(after);
        segmentsBefore = List.copyOf(segmentsBefore);
        segmentsAfter = List.copyOf(segmentsAfter);
    }

    /** An entry without the authenticated Redis user (as written before it was recorded). */
    public AuditEntry(
            String id,
            long version,
            String op,
            List<String> keys,
            String actor,
            String reason,
            Instant writtenAt,
            List<Flag> before,
            List<Flag> after,
            List<Segment> segmentsBefore,
            List<Segment> segmentsAfter) {
        this(id, version, op, keys, actor, reason, writtenAt, before, after, segmentsBefore, segmentsAfter, null);
    }
}
