package io.flagstore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagstore.core.metrics.MeteredSource;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.core.spi.SourceState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start-up options of the client builder: fail-fast, and the registry handed to the source. */
class StartOptionsTest {
    /** A source that never delivers flags, reports a problem, and records what the client did with it. */
    private static final class SilentSource implements FlagSource, MeteredSource {
        final List<MeterRegistry> bound = new ArrayList<>();
        boolean closed;
        boolean boundBeforeStart;

        @Override
        public void bindMeters(MeterRegistry registry) {
            bound.add(registry);
        }

        @Override
        public void start(FlagSink sink) {
            boundBeforeStart = !bound.isEmpty();
            sink.stateChanged(SourceState.STALE, "Connection refused: redis:6379");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void failFastThrowsNamingTheTimeoutAndWhatTheSourceReportedAndClosesIt() {
        SilentSource source = new SilentSource();
        assertThatThrownBy(() -> FlagClient.builder()
                        .source(source)
                        .startTimeout(Duration.ofMillis(50))
                        .failFast(true)
                        .build())
                .isInstanceOf(StartTimeoutException.class)
                .isInstanceOf(FlagStoreException.class)
                .hasMessageContaining("PT0.05S")
                .hasMessageContaining("Connection refused: redis:6379")
                .satisfies(e ->
                        assertThat(((StartTimeoutException) e).startTimeout()).isEqualTo(Duration.ofMillis(50)));
        assertThat(source.closed).isTrue();
    }

    @Test
    void withoutFailFastBuildReturnsAClientServingDefaults() {
        try (FlagClient client = FlagClient.builder()
                .source(new SilentSource())
                .startTimeout(Duration.ZERO)
                .build()) {
            assertThat(client.health().state()).isEqualTo(ClientState.INITIALIZING);
            assertThat(client.boolValue("anything", EvaluationContext.of("u"), true))
                    .isTrue();
        }
    }

    @Test
    void failFastPassesWhenTheFlagsArrive() {
        try (FlagClient client = FlagClient.builder()
                .source(InMemoryFlagSource.of())
                .failFast(true)
                .startTimeout(Duration.ZERO)
                .build()) {
            assertThat(client.health().state()).isEqualTo(ClientState.READY);
        }
    }

    @Test
    void theClientsRegistryReachesAMeteredSourceOnceBeforeItStarts() {
        SilentSource source = new SilentSource();
        MeterRegistry registry = new SimpleMeterRegistry();
        try (FlagClient client = FlagClient.builder()
                .source(source)
                .startTimeout(Duration.ZERO)
                .meterRegistry(registry)
                .build()) {
            assertThat(source.bound).containsExactly(registry);
            assertThat(source.boundBeforeStart).isTrue();
        }
    }

    @Test
    void aClientWithoutRegistryBindsNothing() {
        SilentSource source = new SilentSource();
        FlagClient.builder().source(source).startTimeout(Duration.ZERO).build().close();
        assertThat(source.bound).isEmpty();
    }
}
