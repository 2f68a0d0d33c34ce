package io.flagstore.core;

import static io.flagstore.core.TestFlagDefinitions.bool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.core.spi.SourceState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientStateListenerTest {
    /** A source the test drives by hand through the sink it was given. */
    private final AtomicReference<FlagSink> sink = new AtomicReference<>();

    private final FlagClient client = FlagClient.builder()
            .source(new FlagSource() {
                @Override
                public void start(FlagSink s) {
                    sink.set(s);
                }

                @Override
                public void close() {}
            })
            .startTimeout(Duration.ZERO)
            .build();

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void everyTransitionIsDeliveredInOrderWithItsHealth() {
        List<ClientHealth> seen = new CopyOnWriteArrayList<>();
        client.onStateChange(seen::add);

        sink.get().init(new FlagData(3, Map.of("a", bool("a", true)), Map.of()));
        sink.get().stateChanged(SourceState.VALID, null);
        sink.get().stateChanged(SourceState.STALE, "redis down");
        sink.get().stateChanged(SourceState.STALE, "still down");
        sink.get().stateChanged(SourceState.VALID, null);
        client.close();

        await().until(() -> seen.size() == 4);
        assertThat(seen)
                .extracting(ClientHealth::state)
                .containsExactly(ClientState.READY, ClientState.STALE, ClientState.READY, ClientState.CLOSED);
        assertThat(seen.get(0).appliedVersion()).isEqualTo(3);
        assertThat(seen.get(1).message()).isEqualTo("redis down");
    }

    @Test
    void aClosedRegistrationHearsNothingMore() {
        List<ClientHealth> seen = new CopyOnWriteArrayList<>();
        ListenerRegistration registration = client.onStateChange(seen::add);
        sink.get().init(new FlagData(1, Map.of(), Map.of()));
        await().until(() -> seen.size() == 1);

        registration.close();
        sink.get().stateChanged(SourceState.STALE, "redis down");
        List<ClientHealth> other = new CopyOnWriteArrayList<>();
        client.onStateChange(other::add);
        sink.get().stateChanged(SourceState.VALID, null);

        await().until(() -> other.size() == 1);
        assertThat(other.get(0).state()).isEqualTo(ClientState.READY);
        assertThat(seen).extracting(ClientHealth::state).containsExactly(ClientState.READY);
    }

    @Test
    void aFailingListenerDoesNotSilenceAnother() {
        client.onStateChange(health -> {
            throw new IllegalStateException("listener bug");
        });
        List<ClientHealth> seen = new CopyOnWriteArrayList<>();
        client.onStateChange(seen::add);

        sink.get().init(new FlagData(1, Map.of(), Map.of()));
        sink.get().stateChanged(SourceState.NAMESPACE_RESET, "epoch changed");

        await().until(() -> seen.size() == 2);
        assertThat(seen)
                .extracting(ClientHealth::state)
                .containsExactly(ClientState.READY, ClientState.NAMESPACE_RESET);
    }
}
