package io.flagstore.openfeature;

import static io.flagstore.openfeature.TestFlags.stringFlag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Reason;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.model.Flag;
import io.flagstore.core.spi.SourceState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Provider events as an application sees them through OpenFeature handlers. */
class FlagStoreProviderEventsTest {
    private final OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    private final List<Received> events = new CopyOnWriteArrayList<>();
    private InMemoryFlagSource source;
    private FlagClient flagClient;
    private Client client;

    record Received(ProviderEvent event, EventDetails details) {}

    @BeforeEach
    void setUp() {
        source = InMemoryFlagSource.of(
                Flag.killSwitch("a"),
                Flag.killSwitch("b"),
                Flag.killSwitch("c"),
                stringFlag("theme").build());
        flagClient = FlagClient.builder().source(source).build();
        api.setProviderAndWait(FlagStoreProvider.of(flagClient));
        client = api.getClient();
        for (ProviderEvent event : List.of(
                ProviderEvent.PROVIDER_CONFIGURATION_CHANGED,
                ProviderEvent.PROVIDER_STALE,
                ProviderEvent.PROVIDER_ERROR)) {
            client.on(event, details -> events.add(new Received(event, details)));
        }
    }

    @AfterEach
    void tearDown() {
        api.shutdown();
        flagClient.close();
    }

    @Test
    void aChangedFlagIsAConfigurationChangedEventWithItsKey() {
        source.setEnabled("a", false);

        await().untilAsserted(() -> assertThat(events).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED);
            assertThat(r.details().getFlagsChanged()).containsExactly("a");
            assertThat(r.details().getEventMetadata().getLong("version")).isEqualTo(source.version());
            assertThat(r.details().getProviderName()).isEqualTo("flag-store");
        }));
        assertThat(client.getBooleanValue("a", true)).isFalse();
    }

    @Test
    void aBatchIsOneEventWithEveryChangedKey() {
        source.apply(
                List.of(
                        Flag.killSwitch("b").withEnabled(false),
                        Flag.killSwitch("a").withEnabled(false)),
                List.of("c"));
        source.setEnabled("theme", false); // a later write: once its event is in, the batch's must be too

        await().untilAsserted(() -> assertThat(events)
                .extracting(r -> r.details().getFlagsChanged())
                .containsExactlyInAnyOrder(List.of("a", "b", "c"), List.of("theme")));
    }

    @Test
    void aWriteThatChangesNoDefinitionIsNoEvent() {
        source.put(source.get("a").orElseThrow()); // same definition, new version
        source.setEnabled("b", false);

        await().untilAsserted(() -> assertThat(events)
                .extracting(r -> r.details().getFlagsChanged())
                .containsExactly(List.of("b")));
        assertThat(flagClient.snapshot().version()).isEqualTo(source.version());
    }

    @Test
    void staleSourceIsAStaleProviderThatStillServesAndRecovers() {
        source.reportState(SourceState.STALE, "redis unreachable");

        await().untilAsserted(() -> assertThat(events).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo(ProviderEvent.PROVIDER_STALE);
            assertThat(r.details().getMessage()).contains("redis unreachable");
        }));
        assertThat(client.getProviderState()).isEqualTo(ProviderState.STALE);
        assertThat(client.getBooleanDetails("a", false).getReason()).isEqualTo(Reason.STATIC.name());

        List<ProviderEvent> ready = new CopyOnWriteArrayList<>();
        client.onProviderReady(details -> ready.add(ProviderEvent.PROVIDER_READY));
        source.reportState(SourceState.VALID, null);

        await().untilAsserted(() -> assertThat(client.getProviderState()).isEqualTo(ProviderState.READY));
        await().untilAsserted(() -> assertThat(ready).containsExactly(ProviderEvent.PROVIDER_READY));
    }

    @Test
    void aStaleSpellOfNoDurationIsStillAnnounced() {
        List<ProviderEvent> ready = new CopyOnWriteArrayList<>();
        client.onProviderReady(details -> ready.add(ProviderEvent.PROVIDER_READY));
        await().until(() -> ready.size() == 1); // a new handler hears at once that the provider is ready
        source.reportState(SourceState.STALE, "redis unreachable");
        source.reportState(SourceState.VALID, null);

        await().untilAsserted(() ->
                assertThat(events).extracting(Received::event).containsExactly(ProviderEvent.PROVIDER_STALE));
        await().untilAsserted(() -> assertThat(ready).hasSize(2));
        assertThat(client.getProviderState()).isEqualTo(ProviderState.READY);
    }

    @Test
    void namespaceResetIsStale() {
        source.reportState(SourceState.NAMESPACE_RESET, "namespace epoch changed");

        await().untilAsserted(() -> assertThat(events).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo(ProviderEvent.PROVIDER_STALE);
            assertThat(r.details().getMessage()).contains("NAMESPACE_RESET", "epoch");
        }));
    }

    @Test
    void closingTheClientUnderTheProviderIsFatal() {
        flagClient.close();

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(client.getProviderState()).isEqualTo(ProviderState.FATAL));
        await().untilAsserted(() -> assertThat(events).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo(ProviderEvent.PROVIDER_ERROR);
            // SDK 1.22.0 does not pass the error code on to handlers; the FATAL state shows it arrived.
            assertThat(r.details().getMessage()).contains("closed");
        }));
        assertThat(client.getBooleanDetails("a", false).getErrorCode()).isEqualTo(ErrorCode.PROVIDER_FATAL);
    }
}
