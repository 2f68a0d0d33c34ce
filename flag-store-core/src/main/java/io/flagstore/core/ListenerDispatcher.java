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

/**
 * Delivers change events to listeners.
 *
 * <p>Implementation notes: each registration has its own queue and is drained by one task at a
 * time on the executor, so a listener sees its events in order, while a slow listener holds only
 * its own task: with an executor that has a thread to spare (the default cached pool does), other
 * listeners keep running. Each call is in its own try/catch; a failure is logged at WARN once per
 * listener and exception type, then at DEBUG.
 */
final class ListenerDispatcher {
    private static final System.Logger LOG = System.getLogger(FlagClient.class.getName());

    private final Executor executor;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    ListenerDispatcher(Executor executor) {
        this.executor = executor;
    }

    /** Whether anyone listens: when nobody does, the client skips computing events. */
    boolean hasListeners() {
        return !entries.isEmpty();
    }

    /** Adds a listener for one flag, or for all flags when {@code key} is {@code null}. */
    ListenerRegistration add(String key, FlagChangeListener listener) {
        Entry entry = new Entry(key, listener);
        entries.add(entry);
        return entry;
    }

    /** Queues the events each listener is interested in; returns at once. */
    void dispatch(List<FlagChangeEvent> events) {
        for (Entry entry : entries) {
            boolean queued = false;
            for (FlagChangeEvent event : events) {
                if (entry.key == null || entry.key.equals(event.key())) {
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
        private final String key;
        private final FlagChangeListener listener;
        private final Queue<FlagChangeEvent> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final Set<Class<?>> loggedFailures = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        Entry(String key, FlagChangeListener listener) {
            this.key = key;
            this.listener = listener;
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
                FlagChangeEvent event;
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

        private void call(FlagChangeEvent event) {
            try {
                listener.onChange(event);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                boolean first = loggedFailures.add(e.getClass());
                LOG.log(
                        first ? Level.WARNING : Level.DEBUG,
                        () -> "flag change listener " + listener + " failed on " + event
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
