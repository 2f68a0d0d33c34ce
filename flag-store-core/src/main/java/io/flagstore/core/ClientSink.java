package io.flagstore.core;

import io.flagstore.core.internal.CompiledSnapshot;
import io.flagstore.core.model.Flag;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link FlagSink} a {@link FlagClient} gives its source: installs each delivery as the client's
 * snapshot, tells the change listeners which flags changed, and keeps the client's health, telling
 * the state listeners of each transition. Deliveries are serialized by one lock, so the snapshot has
 * one writer; the version a source reports after a call returns is already visible to readers.
 *
 * <p>The snapshot stays a field of the client, read and replaced here through {@code snapshot} and
 * {@code publish}, so that an evaluation reads one volatile field and follows no further reference.
 */
final class ClientSink implements FlagSink {
    private static final System.Logger LOG = System.getLogger(FlagClient.class.getName());

    private final FlagSource source; // named in log messages
    private final Clock clock;
    private final ListenerDispatcher<FlagChangeEvent> listeners;
    private final ListenerDispatcher<ClientHealth> stateListeners;
    private final Supplier<FlagSnapshot> snapshot;
    private final Consumer<FlagSnapshot> publish;
    private final CountDownLatch initialized = new CountDownLatch(1);
    private final Object lock = new Object();
    private SourceState sourceState = SourceState.INITIALIZING;
    private String message;
    private Instant lastUpdate;
    private long updates;
    private boolean closed;
    private ClientState notified = ClientState.INITIALIZING; // the state listeners last heard of

    /**
     * @param snapshot reads the client's snapshot
     * @param publish replaces the client's snapshot; called only under this sink's lock
     */
    ClientSink(
            FlagSource source,
            Clock clock,
            ListenerDispatcher<FlagChangeEvent> listeners,
            ListenerDispatcher<ClientHealth> stateListeners,
            Supplier<FlagSnapshot> snapshot,
            Consumer<FlagSnapshot> publish) {
        this.source = source;
        this.clock = clock;
        this.listeners = listeners;
        this.stateListeners = stateListeners;
        this.snapshot = snapshot;
        this.publish = publish;
    }

    @Override
    public void init(FlagData data) {
        Objects.requireNonNull(data, "data");
        synchronized (lock) {
            if (closed) {
                return;
            }
            CompiledSnapshot before = snapshot.get().compiled();
            install(
                    CompiledSnapshot.of(data),
                    before.flags().keySet(),
                    data.flags().keySet());
            initialized.countDown();
            notifyStateListeners();
        }
    }

    @Override
    public void apply(FlagUpdate update) {
        Objects.requireNonNull(update, "update");
        synchronized (lock) {
            if (closed) {
                return;
            }
            List<String> keys = new ArrayList<>(update.deletedFlags());
            update.flags().forEach(flag -> keys.add(flag.key()));
            install(snapshot.get().compiled().apply(update), keys, List.of());
        }
    }

    private void install(CompiledSnapshot next, Collection<String> keys, Collection<String> moreKeys) {
        FlagSnapshot before = snapshot.get();
        FlagSnapshot after = before.withCompiled(next);
        publish.accept(after);
        lastUpdate = clock.instant();
        updates++;
        if (listeners.hasListeners()) {
            Set<String> candidates = new LinkedHashSet<>(keys);
            candidates.addAll(moreKeys);
            List<FlagChangeEvent> events = new ArrayList<>();
            FlagSnapshot unrecordedBefore = before.unrecorded();
            FlagSnapshot unrecordedAfter = after.unrecorded();
            for (String key : candidates) {
                Flag was = before.compiled().flag(key);
                Flag is = next.flag(key);
                if (!Definitions.same(was, is)) {
                    events.add(new FlagChangeEvent(key, was, is, unrecordedBefore, unrecordedAfter));
                }
            }
            if (!events.isEmpty()) {
                listeners.dispatch(events);
            }
        }
    }

    @Override
    public void stateChanged(SourceState state, String detail) {
        Objects.requireNonNull(state, "state");
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (state != sourceState) {
                LOG.log(
                        Level.DEBUG,
                        () -> "flag source " + source + " is " + state + (detail == null ? "" : ": " + detail));
            }
            sourceState = state;
            message = detail;
            if (state == SourceState.VALID) {
                lastUpdate = clock.instant(); // the source confirmed its data current
            }
            notifyStateListeners();
        }
    }

    /** Marks the client closed; returns whether this call did it. */
    boolean close() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            notifyStateListeners();
            return true;
        }
    }

    /** Queues the current health for the state listeners if its state changed; under the lock. */
    private void notifyStateListeners() {
        ClientHealth health = health();
        if (health.state() != notified) {
            notified = health.state();
            stateListeners.dispatch(List.of(health));
        }
    }

    ClientHealth health() {
        synchronized (lock) {
            FlagSnapshot current = snapshot.get();
            ClientState state;
            if (closed) {
                state = ClientState.CLOSED;
            } else if (!current.isReady()) {
                state = ClientState.INITIALIZING;
            } else {
                state = switch (sourceState) {
                    case STALE -> ClientState.STALE;
                    case NAMESPACE_RESET -> ClientState.NAMESPACE_RESET;
                    case CLOSED -> ClientState.CLOSED;
                    case INITIALIZING, VALID -> ClientState.READY;
                };
            }
            Duration since = lastUpdate == null ? null : Duration.between(lastUpdate, clock.instant());
            return new ClientHealth(state, current.version(), lastUpdate, since, updates, message);
        }
    }

    /** Waits up to {@code timeout} for the first flag set; returns whether it arrived. */
    boolean awaitFirstFlagSet(Duration timeout) {
        try {
            return initialized.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
