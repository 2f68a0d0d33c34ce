package io.flagstore.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.exceptions.GeneralError;
import dev.openfeature.sdk.exceptions.OpenFeatureError;
import io.flagstore.core.ClientState;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.LocalOverrides;
import io.flagstore.core.model.Flag;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.core.spi.SourceState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who owns the client, initialization, late data and shutdown. */
class FlagStoreProviderLifecycleTest {
    private final OpenFeatureAPI api = OpenFeatureAPI.getInstance();

    @AfterEach
    void tearDown() {
        api.shutdown();
    }

    @Test
    void providerBuiltFromASourceCreatesItsClientOnInitializeAndClosesItOnShutdown() {
        ObservedSource source = new ObservedSource(InMemoryFlagSource.of(Flag.killSwitch("kill")));
        FlagStoreProvider provider = FlagStoreProvider.builder()
                .source(source)
                .configureClient(b -> b.overrides(LocalOverrides.of(Map.of("forced", "yes"))))
                .build();
        assertThat(source.started).isFalse();
        assertThat(provider.getBooleanEvaluation("kill", false, new ImmutableContext())
                        .getErrorCode())
                .isEqualTo(ErrorCode.PROVIDER_NOT_READY);

        api.setProviderAndWait(provider);
        Client client = api.getClient();

        assertThat(source.started).isTrue();
        assertThat(client.getBooleanValue("kill", false)).isTrue();
        assertThat(client.getStringValue("forced", "no")).isEqualTo("yes");
        api.shutdown();
        assertThat(source.closed).isTrue();
    }

    @Test
    void providerOverTheApplicationsClientLeavesItOpen() {
        FlagClient flagClient = FlagClient.builder()
                .source(InMemoryFlagSource.of(Flag.killSwitch("kill")))
                .build();
        try {
            api.setProviderAndWait(FlagStoreProvider.of(flagClient));
            assertThat(api.getClient().getBooleanValue("kill", false)).isTrue();

            api.shutdown();

            assertThat(flagClient.health().state()).isEqualTo(ClientState.READY);
            assertThat(flagClient.isEnabled("kill", io.flagstore.core.EvaluationContext.of("u")))
                    .isTrue();
        } finally {
            flagClient.close();
        }
    }

    @Test
    void initializeFailsWithoutDataAndTheProviderBecomesReadyWhenDataArrives() {
        LateSource source = new LateSource();
        FlagStoreProvider provider = FlagStoreProvider.builder()
                .source(source)
                .configureClient(b -> b.startTimeout(Duration.ofMillis(200)))
                .build();
        List<String> ready = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> api.setProviderAndWait(provider))
                .isInstanceOf(OpenFeatureError.class)
                .hasMessageContaining("no flag data yet")
                .hasMessageContaining("connecting");
        Client client = api.getClient();
        assertThat(client.getProviderState()).isEqualTo(ProviderState.ERROR);
        assertThat(client.getBooleanDetails("kill", false).getErrorCode()).isEqualTo(ErrorCode.PROVIDER_NOT_READY);
        client.onProviderReady(details -> ready.add(details.getProviderName()));

        source.deliver(Flag.killSwitch("kill"));

        await().untilAsserted(() -> assertThat(client.getProviderState()).isEqualTo(ProviderState.READY));
        assertThat(ready).contains("flag-store");
        assertThat(client.getBooleanValue("kill", false)).isTrue();
    }

    @Test
    void startTimeoutZeroDoesNotWait() {
        FlagStoreProvider provider = FlagStoreProvider.builder()
                .source(new LateSource())
                .configureClient(b -> b.startTimeout(Duration.ZERO))
                .build();

        assertThatThrownBy(() -> api.setProviderAndWait(provider)).isInstanceOf(OpenFeatureError.class);
    }

    @Test
    void aShutDownProviderCannotBeInitializedAgain() {
        try (FlagClient flagClient =
                FlagClient.builder().source(InMemoryFlagSource.of()).build()) {
            FlagStoreProvider provider = FlagStoreProvider.of(flagClient);
            provider.shutdown();

            assertThatThrownBy(() -> provider.initialize(new ImmutableContext()))
                    .isInstanceOf(GeneralError.class)
                    .hasMessageContaining("shut down");
        }
    }

    @Test
    void builderInsistsOnExactlyOneOwnershipMode() {
        FlagClient flagClient =
                FlagClient.builder().source(InMemoryFlagSource.of()).build();
        try {
            assertThatThrownBy(() -> FlagStoreProvider.builder().build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exactly one");
            assertThatThrownBy(() -> FlagStoreProvider.builder()
                            .client(flagClient)
                            .source(InMemoryFlagSource.of())
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exactly one");
            assertThatThrownBy(() -> FlagStoreProvider.builder()
                            .client(flagClient)
                            .configureClient(b -> {})
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("configureClient");
            assertThatThrownBy(() -> FlagStoreProvider.of(null)).isInstanceOf(NullPointerException.class);
        } finally {
            flagClient.close();
        }
    }

    /** A source that records being started and closed. */
    private static final class ObservedSource implements FlagSource {
        private final FlagSource delegate;
        volatile boolean started;
        volatile boolean closed;

        ObservedSource(FlagSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public void start(FlagSink sink) {
            started = true;
            delegate.start(sink);
        }

        @Override
        public void close() {
            closed = true;
            delegate.close();
        }
    }

    /** A source whose store is unreachable until {@link #deliver} is called. */
    private static final class LateSource implements FlagSource {
        private final AtomicReference<FlagSink> sink = new AtomicReference<>();
        private final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void start(FlagSink sink) {
            this.sink.set(sink);
            sink.stateChanged(SourceState.STALE, "connecting to the store");
        }

        void deliver(Flag... flags) {
            Map<String, Flag> byKey = new java.util.HashMap<>();
            for (Flag flag : flags) {
                byKey.put(flag.key(), flag.withVersion(1, null, null));
            }
            sink.get().init(new FlagData(1, byKey, Map.of()));
            sink.get().stateChanged(SourceState.VALID, null);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
