package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flagstore.redis.testing.RecordingSink;
import io.flagstore.redis.testing.RedisServerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One test's namespace with the sources started in it (closed by {@link #close()}), a meter
 * registry, an admin, and a raw writer for fault injection.
 */
final class SourceFixture implements AutoCloseable {
    /** A reconcile interval long enough that only pushes, gaps and reconnects can explain a result. */
    static final Duration NEVER = Duration.ofHours(1);

    final RedisServerExtension redis;
    final String namespace;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final RawWriter raw;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private FlagAdmin admin;

    SourceFixture(RedisServerExtension redis) {
        this(redis, redis.uniqueNamespace());
    }

    /** A fixture on an existing namespace (e.g. a second life of a service). */
    SourceFixture(RedisServerExtension redis, String namespace) {
        this.redis = redis;
        this.namespace = namespace;
        this.raw = new RawWriter(redis, namespace);
    }

    RedisOptions options() {
        return RedisOptions.builder().uri(redis.uri()).namespace(namespace).build();
    }

    /** An admin on the namespace (one per fixture, closed with it). */
    FlagAdmin admin() {
        if (admin == null) {
            admin = FlagAdmin.connect(options());
            closeables.add(admin);
        }
        return admin;
    }

    /** A started source with {@code reconcileInterval}, recording into a new sink. */
    RecordingSink start(Duration reconcileInterval) {
        return start(b -> b.reconcileInterval(reconcileInterval));
    }

    /** A started source configured by {@code config} (options, service name and meters preset). */
    RecordingSink start(UnaryOperator<RedisFlagSource.Builder> config) {
        RecordingSink sink = new RecordingSink();
        build(config).start(sink);
        return sink;
    }

    /** A source configured by {@code config}, not started; closed with the fixture. */
    RedisFlagSource build(UnaryOperator<RedisFlagSource.Builder> config) {
        RedisFlagSource source = config.apply(RedisFlagSource.builder()
                        .options(options())
                        .serviceName("test")
                        .meterRegistry(meters))
                .build();
        closeables.add(source);
        return source;
    }

    double count(String meter) {
        return meters.get(meter).tag("namespace", namespace).counter().count();
    }

    double errors(String kind) {
        return meters.get("flagstore.source.errors")
                .tag("namespace", namespace)
                .tag("kind", kind)
                .counter()
                .count();
    }

    /** Waits until {@code sink} holds exactly what Redis holds, versions included. */
    void awaitConverged(RecordingSink sink, Duration within) {
        await().atMost(within).untilAsserted(() -> {
            assertThat(sink.version()).isEqualTo(RedisTruth.version(redis, namespace));
            assertThat(sink.flags()).isEqualTo(RedisTruth.flags(redis, namespace));
        });
    }

    void awaitConverged(RecordingSink sink) {
        awaitConverged(sink, Duration.ofSeconds(10));
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }
}
