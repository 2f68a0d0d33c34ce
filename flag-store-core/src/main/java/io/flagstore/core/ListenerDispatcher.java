package io.flagstore.core;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Delivers events (flag changes, client state transitions) to listeners.
 *
 * <p>Implementation notes: each registration has its own queue and is drained by one task at a
 * time on the executor, so a listener sees its events in order, while a slow listener holds only
 * its own task: with an executor that has a thread to spare (the default cached pool does), other
 * listeners keep running. Each call is in its own try/catch; a failure is logged at WARN once per
 * listener and exception type, then at DEBUG.
 */
final class ListenerDispatcher<E> {
    private static final System.Logger LOG = System.getLogger(FlagClient.class.getName());

    private final Executor executor;
    private final String kind;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** @param kind what the listeners are, for log messages (e.g. "flag change listener") */
    ListenerDispatcher(Executor executor, String kind) {
        this.executor = executor;
        this.kind = kind;
    }

    /** Whether anyone listens: when nobody does, the client skips computing events. */
    boolean hasListeners() {
        return !entries.isEmpty();
    }

    /**
     * Adds a listener for the events {@code interest} accepts.
     *
     * @param description the listener as logged when it fails
     */
    ListenerRegistration add(Predicate<E> interest, Consumer<E> listener, Object description) {
        Entry entry = new Entry(interest, listener, description);
        entries.add(entry);
        return entry;
    }

    /** Queues the events each listener is interested in; returns at once. */
    void dispatch(List<E> events) {
        for (Entry entry : entries) {
            boolean queued = false;
            for (E event : events) {
                if (entry.interest.test(event)) {
                    entry.queue.add(event);
                    queued = true;
                }
            }
            if (queued) {
                entry.schedule();
            }
        }
    }

    /** Removes every listener. */
    void clear() {
        entries.forEach(Entry::close);
    }

    private final class Entry implements ListenerRegistration, Runnable {
        private final Predicate<E> interest;
        private final Consumer<E> listener;
        private final Object description;
        private final Queue<E> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final Set<Class<?>> loggedFailures = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        Entry(Predicate<E> interest, Consumer<E> listener, Object description) {
            this.interest = interest;
            this.listener = listener;
            this.description = description;
        }

        void schedule() {
            if (!closed && scheduled.compareAndSet(false, true)) {
                try {
                    executor.execute(this);
                } catch (RejectedExecutionException e) {
                    scheduled.set(false);
                    queue.clear();
                    LOG.log(Level.DEBUG, "listener executor refused a task (shut down?); events dropped", e);
                }
            }
        }

        @Override
        public void run() {
            try {
                E event;
                while (!closed && (event = queue.poll()) != null) {
                    call(event);
                }
            } finally {
                scheduled.set(false);
            }
            if (!queue.isEmpty()) {
                schedule(); // an event queued after the last poll but before the flag was reset
            }
        }

        private void call(E event) {
            try {
                listener.accept(event);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                boolean first = loggedFailures.add(e.getClass());
                LOG.log(
                        first ? Level.WARNING : Level.DEBUG,
                        () -> kind + " " + description + " failed on " + event
                                + (first ? " (further failures of this kind are logged at DEBUG)" : ""),
                        e);
            }
        }

        @Override
        public void close() {
            closed = true;
            queue.clear();
            entries.remove(this);
        }
    }
}
