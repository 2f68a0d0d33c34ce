package io.flagstore.openfeature;

import dev.openfeature.sdk.Awaitable;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ProviderEventDetails;
import io.flagstore.core.ClientHealth;
import io.flagstore.core.ClientState;
import io.flagstore.core.FlagChangeEvent;
import io.flagstore.core.FlagClient;
import io.flagstore.core.FlagSnapshot;
import io.flagstore.core.ListenerRegistration;
import io.flagstore.core.model.Flag;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Turns a {@link FlagClient}'s changes and state into OpenFeature provider events.
 *
 * <p>Implementation notes: the client's state listener reports each transition; it is mapped to
 * an event relative to what OpenFeature last concluded, so a transition that raced with {@code
 * initialize} is emitted once initialize has set the baseline. Change events arrive per flag, all events of one write sharing one
 * {@link FlagChangeEvent#after()} snapshot: the first of them announces the whole write, its keys
 * found by comparing the write's before and after snapshots, so a batch is one OpenFeature event.
 */
final class ClientWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FlagStoreProvider.class.getName());

    private final FlagClient client;
    private final EventProvider events;
    private final CountDownLatch hasData = new CountDownLatch(1);
    private final ListenerRegistration changes;
    private final ListenerRegistration states;
    /** The state OpenFeature holds for the provider, in client terms; null while initialize waits. */
    private ClientState reported;

    private volatile FlagSnapshot lastAnnounced;

    private ClientWatcher(FlagClient client, EventProvider events) {
        this.client = client;
        this.events = events;
        this.changes = client.onChange(this::changed);
        this.states = client.onStateChange(this::stateChanged);
    }

    /** Subscribes to {@code client}'s changes and state transitions. */
    static ClientWatcher start(FlagClient client, EventProvider events) {
        return new ClientWatcher(client, events);
    }

    /**
     * Waits up to {@code timeout} for the client to hold flag data and returns its health then. From
     * now on every state transition is emitted, relative to what OpenFeature concludes from this
     * (READY when data arrived, ERROR when not).
     */
    ClientHealth awaitData(Duration timeout) throws InterruptedException {
        if (client.health().state() == ClientState.INITIALIZING) {
            hasData.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        ClientHealth health = client.health();
        synchronized (this) {
            reported = health.state() == ClientState.INITIALIZING ? ClientState.INITIALIZING : ClientState.READY;
        }
        stateChanged(health); // e.g. STALE: the client serves a backup file while Redis is away
        return health;
    }

    /** Synchronized: called by the listener and by {@link #awaitData}, and events must stay in order. */
    private synchronized void stateChanged(ClientHealth health) {
        ClientState state = health.state();
        if (state != ClientState.INITIALIZING) {
            hasData.countDown();
        }
        if (reported == null || state == reported) {
            return;
        }
        reported = state;
        String message = health.message();
        switch (state) {
            case READY:
                emit(events::emitProviderReady, details("flag-store is current", null));
                break;
            case STALE:
            case NAMESPACE_RESET:
                emit(events::emitProviderStale, details(state + (message == null ? "" : ": " + message), null));
                break;
            case CLOSED:
                emit(events::emitProviderError, details("the FlagClient was closed", ErrorCode.PROVIDER_FATAL));
                break;
            default:
                break; // a client never returns to INITIALIZING
        }
    }

    private void changed(FlagChangeEvent event) {
        FlagSnapshot after = event.after();
        if (after == lastAnnounced) {
            return; // announced with the first event of its write
        }
        lastAnnounced = after;
        List<String> keys = changedKeys(event.before().flags(), after.flags());
        emit(
                events::emitProviderConfigurationChanged,
                ProviderEventDetails.builder()
                        .flagsChanged(keys)
                        .message("flag-store version " + after.version())
                        .eventMetadata(ImmutableMetadata.builder()
                                .addLong("version", after.version())
                                .build())
                        .build());
    }

    /** Keys whose definition differs between the two sets, ignoring write metadata; sorted. */
    static List<String> changedKeys(Map<String, Flag> before, Map<String, Flag> after) {
        TreeSet<String> keys = new TreeSet<>();
        after.forEach((key, flag) -> {
            if (!sameDefinition(before.get(key), flag)) {
                keys.add(key);
            }
        });
        before.keySet().stream().filter(key -> !after.containsKey(key)).forEach(keys::add);
        return List.copyOf(keys);
    }

    private static boolean sameDefinition(Flag a, Flag b) {
        if (a == b) {
            return true;
        }
        return a != null && b != null && a.withVersion(0, null, null).equals(b.withVersion(0, null, null));
    }

    private static ProviderEventDetails details(String message, ErrorCode errorCode) {
        return ProviderEventDetails.builder()
                .message(message)
                .errorCode(errorCode)
                .build();
    }

    /**
     * Emits and waits until OpenFeature has dispatched the event: the SDK emits each event on a pool
     * thread of its own, so without waiting two quick writes could reach handlers out of order.
     */
    private static void emit(Function<ProviderEventDetails, Awaitable> emitter, ProviderEventDetails details) {
        try {
            emitter.apply(details).await();
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "provider shut down; event dropped: " + details, e);
        }
    }

    /** Stops listening. */
    @Override
    public void close() {
        changes.close();
        states.close();
    }
}
