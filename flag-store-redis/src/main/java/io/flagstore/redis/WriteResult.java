package io.flagstore.redis;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one write.
 *
 * @param version the namespace version the write created; every written flag now has it
 * @param receivers how many subscribers the change message reached (Redis {@code PUBLISH} count:
 *     connections subscribed to the namespace's channel at that moment)
 * @param keys the keys written, flags by key and segments as {@code segment:<key>}
 * @param writtenAt the write time (Redis server clock)
 */
public record WriteResult(long version, long receivers, List<String> keys, Instant writtenAt) {
    public WriteResult {
        keys = List.copyOf(keys);
        Objects.requireNonNull(writtenAt, "writtenAt");
    }
}
