package io.flagstore.openfeature;

import static io.flagstore.openfeature.TestFlags.stringFlag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.model.Serve;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Evaluations and events stay right while a writer changes flags under concurrent readers. */
class FlagStoreProviderConcurrencyTest {
    private static final int WRITES = 300;

    private final OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    private FlagClient flagClient;

    @AfterEach
    void tearDown() {
        api.shutdown();
        if (flagClient != null) {
            flagClient.close();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {7L, 1125L})
    void readersNeverSeeAnErrorAndEveryChangeIsAnnouncedExactlyOnce(long seed) throws Exception {
        InMemoryFlagSource source = InMemoryFlagSource.of(stringFlag("flip").build());
        flagClient = FlagClient.builder().source(source).build();
        api.setProviderAndWait(FlagStoreProvider.of(flagClient));
        Client client = api.getClient();
        List<Long> announced = new CopyOnWriteArrayList<>();
        client.onProviderConfigurationChanged(
                event -> announced.add(event.getEventMetadata().getLong("version")));
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> readers = List.of(reader(client, writing, problems), reader(client, writing, problems));
        readers.forEach(Thread::start);

        SplittableRandom random = new SplittableRandom(seed);
        List<Long> changed = new ArrayList<>();
        String servedBefore = "a";
        boolean enabledBefore = true;
        for (int i = 0; i < WRITES; i++) {
            String variant = random.nextBoolean() ? "a" : "b";
            boolean enabled = random.nextInt(10) > 0;
            long version = source.put(stringFlag("flip")
                    .fallthrough(Serve.variant(variant))
                    .enabled(enabled)
                    .build());
            if (!variant.equals(servedBefore) || enabled != enabledBefore) {
                changed.add(version); // a write that only restates the definition is no event
            }
            servedBefore = variant;
            enabledBefore = enabled;
        }
        writing.set(false);
        for (Thread reader : readers) {
            reader.join();
        }

        assertThat(problems).as("seed %d", seed).isEmpty();
        // The SDK runs each handler call on a pool thread, so arrival order is not guaranteed; the
        // version in the event metadata is what orders them.
        await().untilAsserted(() -> assertThat(announced.stream().sorted().toList())
                .as("seed %d", seed)
                .isEqualTo(changed));
    }

    private static Thread reader(Client client, AtomicBoolean writing, Queue<String> problems) {
        return new Thread(() -> {
            ImmutableContext user = new ImmutableContext("u");
            while (writing.get()) {
                FlagEvaluationDetails<String> d = client.getStringDetails("flip", "default", user);
                boolean consistent = ("a".equals(d.getVariant()) && "alpha".equals(d.getValue()))
                        || ("b".equals(d.getVariant()) && "beta".equals(d.getValue()));
                if (d.getErrorCode() != null || !consistent) {
                    problems.add(d.toString());
                }
            }
        });
    }
}
