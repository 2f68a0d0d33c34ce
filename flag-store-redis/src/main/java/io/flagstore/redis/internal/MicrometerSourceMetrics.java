package io.flagstore.redis.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link SourceMetrics} on a Micrometer registry, meters resolved once. Thread-safe.
 */
final class MicrometerSourceMetrics implements SourceMetrics {
    /** Subscribed sources per registry and namespace: several sources may share one registry. */
    private static final Map<MeterRegistry, Map<String, AtomicInteger>> CONNECTED = new WeakHashMap<>();

    private final AtomicInteger connected;
    private boolean isConnected;
    private final Counter catchUps;
    private final Counter fullReloads;
    private final Counter updates;
    private final Map<String, Timer> lag = new HashMap<>();
    private final AtomicInteger corrupt = new AtomicInteger();
    private final Counter[] errors;

    /**
     * @param r where to register
     * @param namespace the {@code namespace} tag
     */
    MicrometerSourceMetrics(MeterRegistry r, String namespace) {
        Tags tags = Tags.of("namespace", namespace);
        synchronized (CONNECTED) {
            Map<String, AtomicInteger> byNamespace = CONNECTED.computeIfAbsent(r, k -> new HashMap<>());
            AtomicInteger shared = byNamespace.get(namespace);
            if (shared == null) {
                shared = new AtomicInteger();
                byNamespace.put(namespace, shared);
                Gauge.builder("flagstore.source.connected", shared, AtomicInteger::get)
                        .description("Sources of this namespace subscribed to its change channel (1 or 0 for one"
                                + " client per process)")
                        .tags(tags)
                        .register(r);
            }
            connected = shared;
        }
        catchUps = counter(
                r,
                "flagstore.source.catchups",
                "Catch-ups (changes since the applied version) after a gap, reconnect or version check",
                tags);
        fullReloads = counter(
                r,
                "flagstore.source.full.reloads",
                "Full loads of the namespace (start, trimmed deletion log, re-seeded namespace)",
                tags);
        updates = counter(r, "flagstore.source.updates", "Incremental updates applied (by any path)", tags);
        for (String path : PATHS) {
            lag.put(
                    path,
                    Timer.builder("flagstore.source.propagation.lag")
                            .description("Write time (Redis's clock, in the hash read) to applied here, by delivery"
                                    + " path: push, catchup, reload (wall clocks of two hosts: skew shows up)")
                            .tags(tags.and("path", path))
                            .publishPercentiles(0.5, 0.99)
                            .register(r));
        }
        Gauge.builder("flagstore.source.corrupt", corrupt, AtomicInteger::get)
                .description("Flags and segments in Redis that this source cannot read (wrong key type, corrupt"
                        + " hash): each keeps its last good definition here, if it had one")
                .tags(tags)
                .register(r);
        ErrorKind[] kinds = ErrorKind.values();
        errors = new Counter[kinds.length];
        for (ErrorKind kind : kinds) {
            errors[kind.ordinal()] = counter(
                    r,
                    "flagstore.source.errors",
                    "Corrupt messages or hashes ignored, and backup file failures",
                    tags.and("kind", kind.tag()));
        }
    }

    private static Counter counter(MeterRegistry registry, String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    @Override
    public void connected(boolean nowConnected) {
        if (nowConnected != isConnected) {
            isConnected = nowConnected;
            connected.addAndGet(nowConnected ? 1 : -1);
        }
    }

    @Override
    public void catchUp() {
        catchUps.increment();
    }

    @Override
    public void fullReload() {
        fullReloads.increment();
    }

    @Override
    public void updated() {
        updates.increment();
    }

    @Override
    public void lag(String path, long writtenAtMillis, long nowMillis) {
        // another host's clock may be ahead of ours: a negative lag is recorded as zero
        lag.get(path).record(Duration.ofMillis(Math.max(0, nowMillis - writtenAtMillis)));
    }

    @Override
    public void corrupt(int count) {
        corrupt.set(count);
    }

    @Override
    public void error(ErrorKind kind) {
        errors[kind.ordinal()].increment();
    }
}
