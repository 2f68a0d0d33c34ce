package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisFlagSourceTest {
    @Test
    void optionsAreRequired() {
        assertThatThrownBy(() -> RedisFlagSource.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("options(RedisOptions)");
    }

    @Test
    void intervalsMustBePositive() {
        assertThatThrownBy(() -> RedisFlagSource.builder().reconcileInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reconcileInterval must be positive, not PT0S");
        assertThatThrownBy(() -> RedisFlagSource.builder().heartbeatInterval(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heartbeatInterval");
    }

    @Test
    void namesMustNotBeBlank() {
        assertThatThrownBy(() -> RedisFlagSource.builder().serviceName(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("serviceName must not be blank");
        assertThatThrownBy(() -> RedisFlagSource.builder().instanceId(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theInstanceIdDefaultsToTheServiceNameAndARandomSuffix() {
        RedisOptions options = RedisOptions.of("redis://127.0.0.1:1");
        RedisFlagSource a = RedisFlagSource.builder()
                .options(options)
                .serviceName("checkout")
                .build();
        RedisFlagSource b = RedisFlagSource.builder()
                .options(options)
                .serviceName("checkout")
                .build();

        assertThat(a.instanceId()).matches("checkout-[0-9a-f]{6}");
        assertThat(a.instanceId()).isNotEqualTo(b.instanceId());
        assertThat(RedisFlagSource.builder()
                        .options(options)
                        .instanceId("pod-7")
                        .build()
                        .instanceId())
                .isEqualTo("pod-7");
    }

    @Test
    void aSourceStartsOnceAndCloseIsIdempotent() {
        RedisFlagSource source = RedisFlagSource.builder()
                .options(RedisOptions.of("redis://127.0.0.1:1"))
                .build();
        source.close();
        source.close();

        assertThatThrownBy(() -> source.start(new io.flagstore.redis.testing.RecordingSink()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started or closed");
    }
}
