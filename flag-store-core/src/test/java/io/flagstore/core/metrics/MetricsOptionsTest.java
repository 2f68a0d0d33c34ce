package io.flagstore.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsOptionsTest {
    @Test
    void usageIsRecordedEveryMinuteByDefault() {
        assertThat(MetricsOptions.defaults().usageInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(MetricsOptions.defaults().recordsUsage()).isTrue();
    }

    @Test
    void aZeroUsageIntervalTurnsUsageRecordingOff() {
        MetricsOptions options =
                MetricsOptions.builder().usageInterval(Duration.ZERO).build();
        assertThat(options.recordsUsage()).isFalse();
    }

    @Test
    void aNegativeUsageIntervalIsRefusedByName() {
        assertThatThrownBy(() -> MetricsOptions.builder().usageInterval(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("usageInterval must not be negative, was PT-1S");
    }
}
