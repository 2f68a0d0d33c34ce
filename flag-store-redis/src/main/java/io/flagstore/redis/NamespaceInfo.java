package io.flagstore.redis;

import java.time.Instant;

/**
 * A summary of one namespace, for status views.
 *
 * @param namespace the namespace name
 * @param version the namespace version (0: never written)
 * @param epoch the namespace epoch, or {@code null} if never written
 * @param createdAt when the namespace was first written, or {@code null}
 * @param flagCount how many flags it holds
 * @param segmentCount how many segments it holds
 * @param deletedTrimmedTo the highest version trimmed from the deletion log (0: none)
 * @param redisVersion the Redis server version, e.g. {@code 7.0.15}
 * @param subscribers connections subscribed to the change channel ({@code PUBSUB NUMSUB})
 * @param origin how the epoch was created: {@code seed} (a re-seed, {@link FlagAdmin#reseed}),
 *     {@code write} (the first ordinary write), or {@code null} if never written or not recorded
 */
public record NamespaceInfo(
        String namespace,
        long version,
        String epoch,
        Instant createdAt,
        long flagCount,
        long segmentCount,
        long deletedTrimmedTo,
        String redisVersion,
        long subscribers,
        String origin) {}
