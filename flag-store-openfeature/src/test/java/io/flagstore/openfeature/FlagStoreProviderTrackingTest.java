package io.flagstore.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableTrackingEventDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.model.Experiment;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.core.spi.Exposure;
import io.flagstore.core.spi.Outcome;
import io.flagstore.core.testing.RecordingExperimentSink;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** OpenFeature's tracking API ({@code Client.track}) records experiment outcomes through the provider. */
class FlagStoreProviderTrackingTest {
    private static final String METRIC = "checkout.completed";
    private final OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    private final RecordingExperimentSink sink = new RecordingExperimentSink();
    private FlagClient flagClient;

    @AfterEach
    void tearDown() {
        api.shutdown();
        flagClient.close();
    }

    @Test
    void trackRecordsAnOutcomeForTheAssignedVariantWithTheDetailsValue() {
        Flag flag = Flag.booleanFlag("new-checkout")
                .enabled(true)
                .fallthrough(Serve.rollout(new Rollout(
                        List.of(new WeightedVariant(Flag.OFF, 50), new WeightedVariant(Flag.ON, 50)), null)))
                .experiment(new Experiment(Flag.OFF, null, List.of(METRIC), null, Instant.EPOCH, null))
                .build();
        flagClient = FlagClient.builder()
                .source(InMemoryFlagSource.of(flag))
                .exposureSink(sink)
                .build();
        api.setProviderAndWait(FlagStoreProvider.of(flagClient));
        Client client = api.getClient();
        ImmutableContext alice = new ImmutableContext("alice");
        boolean served = client.getBooleanValue("new-checkout", false, alice);

        client.track(METRIC, alice, new MutableTrackingEventDetails(42.5));
        client.track(METRIC, alice);
        client.track("something.else", alice);
        client.track(METRIC, new ImmutableContext()); // no targeting key: nobody to attribute it to
        api.shutdown();
        flagClient.close();

        assertThat(sink.exposures()).extracting(Exposure::unit).containsExactly("alice");
        assertThat(sink.outcomes()).hasSize(2);
        assertThat(sink.outcomes()).allSatisfy(o -> {
            assertThat(o.unit()).isEqualTo("alice");
            assertThat(o.variant()).isEqualTo(served ? Flag.ON : Flag.OFF);
            assertThat(o.metric()).isEqualTo(METRIC);
        });
        assertThat(sink.outcomes()).extracting(Outcome::value).containsExactly(42.5, null);
    }
}
