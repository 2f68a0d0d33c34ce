package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.redis.testing.RecordingSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Which registry the {@code flagstore.source.*} meters go to: the client's, handed over before start,
 * unless the builder was given one. The meters are registered when the source starts, so no Redis is
 * needed (the address below refuses connections).
 */
class SourceMeterRegistryTest {
    private static RedisFlagSource.Builder unreachable() {
        return RedisFlagSource.builder()
                .options(RedisOptions.builder()
                        .uri("redis://127.0.0.1:1")
                        .connectTimeout(Duration.ofMillis(200))
                        .build());
    }

    private static boolean hasSourceMeters(MeterRegistry registry) {
        return registry.find("flagstore.source.connected").gauge() != null;
    }

    @Test
    void theClientsRegistryIsUsedWhenTheBuilderHadNone() {
        MeterRegistry client = new SimpleMeterRegistry();
        try (RedisFlagSource source = unreachable().build()) {
            source.bindMeters(client);
            source.start(new RecordingSink());
        }
        assertThat(hasSourceMeters(client)).isTrue();
    }

    @Test
    void theBuildersRegistryWins() {
        MeterRegistry own = new SimpleMeterRegistry();
        MeterRegistry client = new SimpleMeterRegistry();
        try (RedisFlagSource source = unreachable().meterRegistry(own).build()) {
            source.bindMeters(client);
            source.start(new RecordingSink());
        }
        assertThat(hasSourceMeters(own)).isTrue();
        assertThat(hasSourceMeters(client)).isFalse();
    }
}
