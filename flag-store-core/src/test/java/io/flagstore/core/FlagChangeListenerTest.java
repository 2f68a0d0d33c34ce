package io.flagstore.core;

import static io.flagstore.core.TestFlagDefinitions.bool;
import static io.flagstore.core.TestFlagDefinitions.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlagChangeListenerTest {
    private static final EvaluationContext ALICE = EvaluationContext.of("alice");

    private final InMemoryFlagSource source = InMemoryFlagSource.of(bool("a", true), string("theme", "dark"));
    private final FlagClient client = FlagClient.builder().source(source).build();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        client.close();
    }

    @Test
    void eventsCarryOldAndNewDefinitionsAndValues() {
        List<FlagChangeEvent> events = new CopyOnWriteArrayList<>();
        client.onChange(events::add);
        long version = source.setEnabled("a", false);

        await().until(() -> events.size() == 1);
        FlagChangeEvent event = events.get(0);
        assertThat(event.key()).isEqualTo("a");
        assertThat(event.oldDefinition().enabled()).isTrue();
        assertThat(event.newDefinition().enabled()).isFalse();
        assertThat(event.version()).isEqualTo(version);
        assertThat(event.oldValue(ALICE)).isEqualTo(true);
        assertThat(event.newValue(ALICE)).isEqualTo(false);
        assertThat(event.before().isEnabled("a", ALICE)).isTrue();
        assertThat(event.after().isEnabled("a", ALICE)).isFalse();
    }

    @Test
    void createdAndDeletedFlagsHaveNoOldOrNewDefinition() {
        List<FlagChangeEvent> events = new CopyOnWriteArrayList<>();
        client.onChange(events::add);
        source.put(bool("b", true));
        source.delete("b");

        await().until(() -> events.size() == 2);
        assertThat(events.get(0).oldDefinition()).isNull();
        assertThat(events.get(0).newDefinition()).isNotNull();
        assertThat(events.get(0).oldValue(ALICE)).isNull();
        assertThat(events.get(1).newDefinition()).isNull();
        assertThat(events.get(1).newValue(ALICE)).isNull();
    }

    @Test
    void rewritingAnUnchangedFlagProducesNoEvent() {
        List<FlagChangeEvent> events = new CopyOnWriteArrayList<>();
        client.onChange(events::add);
        source.put(source.get("a").orElseThrow());
        source.delete("does-not-exist");
        source.put(bool("marker", true));

        await().until(() -> !events.isEmpty());
        assertThat(events).extracting(FlagChangeEvent::key).containsExactly("marker");
    }

    @Test
    void aKeyListenerOnlySeesItsFlag() {
        List<String> keys = new CopyOnWriteArrayList<>();
        client.onChange("theme", event -> keys.add(event.key()));
        source.setEnabled("a", false);
        source.put(string("theme", "light"));

        await().until(() -> !keys.isEmpty());
        assertThat(keys).containsExactly("theme");
    }

    @Test
    void aBatchProducesOneEventPerChangedFlag() {
        List<FlagChangeEvent> events = new CopyOnWriteArrayList<>();
        client.onChange(events::add);
        long version = source.apply(List.of(bool("a", false), string("theme", "light")), List.of());

        await().until(() -> events.size() == 2);
        assertThat(events).allSatisfy(e -> assertThat(e.version()).isEqualTo(version));
    }

    @Test
    void aSlowListenerDoesNotBlockAnother() {
        AtomicInteger fast = new AtomicInteger();
        client.onChange(event -> awaitRelease());
        client.onChange(event -> fast.incrementAndGet());
        source.setEnabled("a", false);
        source.setEnabled("a", true);
        source.setEnabled("a", false);

        await().atMost(Duration.ofSeconds(5)).until(() -> fast.get() == 3);
    }

    @Test
    void aFailingListenerDoesNotAffectOthersOrLaterEvents() {
        AtomicInteger failing = new AtomicInteger();
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        client.onChange(event -> {
            failing.incrementAndGet();
            throw new IllegalStateException("listener bug");
        });
        client.onChange(event -> seen.add(event.newDefinition().enabled()));
        source.setEnabled("a", false);
        source.setEnabled("a", true);

        await().until(() -> seen.size() == 2 && failing.get() == 2);
        assertThat(seen).containsExactly(false, true);
    }

    @Test
    void eachListenerGetsItsEventsInOrder() {
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        client.onChange("a", event -> seen.add(event.newDefinition().enabled()));
        for (int i = 0; i < 200; i++) {
            source.setEnabled("a", i % 2 == 0 ? false : true);
        }
        await().until(() -> seen.size() == 200);
        for (int i = 0; i < 200; i++) {
            assertThat(seen.get(i)).as("event %d", i).isEqualTo(i % 2 != 0);
        }
    }

    @Test
    void listenersRunOffTheWritersThread() {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        client.onChange(event -> threads.add(Thread.currentThread()));
        source.setEnabled("a", false);
        await().until(() -> !threads.isEmpty());
        assertThat(threads.get(0)).isNotSameAs(Thread.currentThread());
    }

    @Test
    void aClosedRegistrationGetsNoMoreEvents() {
        AtomicInteger removed = new AtomicInteger();
        List<String> kept = new CopyOnWriteArrayList<>();
        ListenerRegistration registration = client.onChange(event -> removed.incrementAndGet());
        client.onChange(event -> kept.add(event.key()));
        registration.close();
        source.setEnabled("a", false);

        await().until(() -> kept.size() == 1);
        assertThat(removed).hasValue(0);
    }

    @Test
    void aSuppliedExecutorRunsTheListeners() {
        AtomicInteger executed = new AtomicInteger();
        List<String> keys = new CopyOnWriteArrayList<>();
        InMemoryFlagSource own = InMemoryFlagSource.of(bool("x", true));
        try (FlagClient direct = FlagClient.builder()
                .source(own)
                .listenerExecutor(task -> {
                    executed.incrementAndGet();
                    task.run();
                })
                .build()) {
            direct.onChange(event -> keys.add(event.key()));
            own.setEnabled("x", false);
            assertThat(executed).hasValue(1);
            assertThat(keys).containsExactly("x");
        }
    }

    private void awaitRelease() {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
