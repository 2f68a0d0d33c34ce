package io.flagstore.redis.internal;

import io.flagstore.redis.RedisOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a {@link SourceLoop} needs, validated by the public builder.
 *
 * @param options where Redis is, the namespace and timeouts
 * @param serviceName presence: the service
 * @param instanceId presence: this instance (the field in the {@code clients} hash)
 * @param reconcileInterval how often the namespace version is compared
 * @param heartbeatInterval how often presence is refreshed
 * @param presenceSigner the key presence entries are signed with
 * @param backupFile the local backup, or {@code null}
 * @param meterRegistry where meters go, or {@code null}
 * @param loadPageSize at most this many hashes per script call of a load or catch-up (docs/operations.md,
 *     "Many services starting at once")
 */
public record SourceSettings(
        RedisOptions options,
        String serviceName,
        String instanceId,
        Duration reconcileInterval,
        Duration heartbeatInterval,
        PresenceSigner presenceSigner,
        Path backupFile,
        MeterRegistry meterRegistry,
        int loadPageSize) {
    /** Default {@code loadPageSize}: a few milliseconds of Redis time per call. */
    public static final int DEFAULT_LOAD_PAGE_SIZE = 500;

    public SourceSettings {
        if (loadPageSize < 1) {
            throw new IllegalArgumentException("loadPageSize must be positive, not " + loadPageSize);
        }
    }
}
