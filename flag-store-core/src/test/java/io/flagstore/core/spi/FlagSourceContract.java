package io.flagstore.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.model.Flag;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FlagSource} promises its client, run against each implementation by a subclass
 * that says how to create the source and how to write to its truth (the in-memory set, the file,
 * Redis through the admin). Sources may deliver asynchronously: assertions wait with Awaitility.
 */
public abstract class FlagSourceContract {
    private final RecordingSink sink = new RecordingSink();
    private FlagSource source;

    /** A source over a truth that holds {@code initial}, not started. */
    protected abstract FlagSource newSource(List<Flag> initial) throws Exception;

    /** Writes upserts and deletes to the truth as one write (one version). */
    protected abstract void write(List<Flag> upserts, List<String> deletes) throws Exception;

    @AfterEach
    void closeSource() {
        if (source != null) {
            source.close();
        }
    }

    private void start(Flag... initial) throws Exception {
        source = newSource(List.of(initial));
        source.start(sink);
        await().until(() -> sink.data() != null && sink.lastState() == SourceState.VALID);
    }

    @Test
    void startDeliversTheWholeSetThenValid() throws Exception {
        start(Flag.killSwitch("contract-a"), Flag.booleanFlag("contract-b").build());
        FlagData data = sink.data();
        assertThat(data.flags()).containsOnlyKeys("contract-a", "contract-b");
        assertThat(data.flags().get("contract-a").enabled()).isTrue();
        assertThat(data.flags().get("contract-b").enabled()).isFalse();
        assertThat(data.flags().values())
                .allSatisfy(flag -> assertThat(flag.version()).isBetween(1L, data.version()));
        assertThat(sink.inits).hasValue(1);
    }

    @Test
    void aWriteArrivesWholeAsOneUpdateStampedWithItsVersion() throws Exception {
        start(Flag.killSwitch("contract-a"));
        long initVersion = sink.data().version();
        write(List.of(Flag.killSwitch("contract-a").withEnabled(false), Flag.killSwitch("contract-c")), List.of());

        await().until(() -> !sink.updates.isEmpty());
        FlagUpdate update = sink.updates.get(0);
        assertThat(update.version()).isGreaterThan(initVersion);
        assertThat(update.flags()).extracting(Flag::key).containsExactlyInAnyOrder("contract-a", "contract-c");
        assertThat(update.flags()).allSatisfy(flag -> assertThat(flag.version()).isEqualTo(update.version()));
        assertThat(update.flags())
                .filteredOn(flag -> flag.key().equals("contract-a"))
                .singleElement()
                .satisfies(flag -> assertThat(flag.enabled()).isFalse());
    }

    @Test
    void aDeleteArrivesWithAHigherVersion() throws Exception {
        start(Flag.killSwitch("contract-a"), Flag.killSwitch("contract-b"));
        write(List.of(), List.of("contract-b"));

        await().until(() -> !sink.updates.isEmpty());
        FlagUpdate update = sink.updates.get(0);
        assertThat(update.deletedFlags()).containsExactly("contract-b");
        assertThat(update.version()).isGreaterThan(sink.data().version());
    }

    @Test
    void successiveWritesArriveInVersionOrderWithoutOverlappingCalls() throws Exception {
        start(Flag.killSwitch("contract-a"));
        for (int i = 0; i < 5; i++) {
            write(List.of(Flag.killSwitch("contract-a").withEnabled(i % 2 == 1)), List.of()); // each one a change
            int expected = i + 1;
            await().until(() -> sink.updates.size() == expected);
        }
        List<Long> versions = sink.updates.stream().map(FlagUpdate::version).toList();
        assertThat(versions).isSorted().doesNotHaveDuplicates();
        assertThat(sink.overlapped).isFalse();
    }

    @Test
    void aClosedSourceDeliversNothingMore() throws Exception {
        start(Flag.killSwitch("contract-a"));
        source.close();
        int deliveries = sink.deliveries.get();
        write(List.of(Flag.killSwitch("contract-late")), List.of());

        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(() -> sink.deliveries.get() == deliveries);
        source.close(); // idempotent
    }

    /** Records deliveries and whether two calls ever overlapped (the SPI forbids it). */
    private static final class RecordingSink implements FlagSink {
        final AtomicInteger inits = new AtomicInteger();
        final AtomicInteger deliveries = new AtomicInteger();
        final List<FlagUpdate> updates = new CopyOnWriteArrayList<>();
        final List<SourceState> states = new CopyOnWriteArrayList<>();
        final AtomicBoolean inCall = new AtomicBoolean();
        volatile boolean overlapped;
        private volatile FlagData data;

        FlagData data() {
            return data;
        }

        SourceState lastState() {
            return states.isEmpty() ? null : states.get(states.size() - 1);
        }

        private void enter() {
            if (!inCall.compareAndSet(false, true)) {
                overlapped = true;
            }
        }

        @Override
        public void init(FlagData newData) {
            enter();
            data = newData;
            inits.incrementAndGet();
            deliveries.incrementAndGet();
            inCall.set(false);
        }

        @Override
        public void apply(FlagUpdate update) {
            enter();
            updates.add(update);
            deliveries.incrementAndGet();
            inCall.set(false);
        }

        @Override
        public void stateChanged(SourceState state, String message) {
            enter();
            states.add(state);
            inCall.set(false);
        }
    }

    /** Flags by key, for subclasses that keep the truth as a map. */
    protected static Map<String, Flag> byKey(List<Flag> flags) {
        return flags.stream().collect(java.util.stream.Collectors.toMap(Flag::key, flag -> flag));
    }
}
