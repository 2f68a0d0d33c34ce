package io.flagstore.core;

import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Flags from a JSON document file ({@code {"flags":[...],"segments":[...]}}, the format of
 * docs/flag-format.md), reloaded when the file changes: the "JSON file you can update at runtime".
 *
 * <pre>{@code
 * FlagClient client = FlagClient.builder().source(FileFlagSource.of(Path.of("flags.json"))).build();
 * }</pre>
 *
 * <p>Changes are noticed through a {@link WatchService} on the file's directory (any event there
 * triggers a check, which also catches editors that write a temporary file and rename it over the
 * original, and symlink swaps such as Kubernetes config maps), and by polling the file's size,
 * modification time and identity every {@link Builder#pollInterval poll interval} as a fallback.
 * Bursts of events are debounced. Each successful reload is delivered as one versioned update
 * holding only the flags that differ.
 *
 * <p>The document is validated whole ({@code FlagJson.readDocument}, then references between its
 * flags and segments with {@code FlagValidator.problemsInSet}). A file that is missing, unreadable
 * or invalid keeps the last good flag set in service: the
 * problems are logged once per distinct content at WARNING and the source reports {@link
 * SourceState#STALE} with the first problem until a valid version appears. A file that is invalid
 * at start leaves the client without flags (state {@link ClientState#INITIALIZING}) until fixed.
 *
 * <p>Thread-safe. Uses two daemon threads (watch and reload) from {@link #start} to {@link #close},
 * none when {@link Builder#watch(boolean) watching} is off.
 */
public final class FileFlagSource implements FlagSource {
    /** Default of {@link Builder#pollInterval(Duration)}. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Default of {@link Builder#debounce(Duration)}. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(50);

    private static final System.Logger LOG = System.getLogger(FileFlagSource.class.getName());

    private final Path file;
    private final Duration pollInterval;
    private final Duration debounce;
    private final boolean watch;
    private final Clock clock = Clock.systemUTC();
    private final VersionedFlagSet set;
    private final AtomicBoolean checkPending = new AtomicBoolean();
    private ScheduledExecutorService scheduler;
    private WatchService watchService;
    private FlagSink sink;
    // guarded by this: what the last check saw, so unchanged files are neither re-read nor re-logged
    private Object lastAttributes;
    private byte[] lastContent;
    private boolean loaded;
    private boolean valid;
    private String lastProblem;
    private volatile boolean closed;

    private FileFlagSource(Builder builder) {
        this.file = builder.file;
        this.pollInterval = builder.pollInterval;
        this.debounce = builder.debounce;
        this.watch = builder.watch;
        this.set = new VersionedFlagSet("file:" + file.getFileName());
    }

    /** A source for {@code file} with the default poll interval and debounce. */
    public static FileFlagSource of(Path file) {
        return builder(file).build();
    }

    /** A builder for a source reading {@code file}. */
    public static Builder builder(Path file) {
        return new Builder(file);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** Loads the file (before returning), then watches it unless {@link Builder#watch watching} is off. */
    @Override
    public synchronized void start(FlagSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (this.sink != null || closed) {
            throw new IllegalStateException("a FileFlagSource is started once, by one client");
        }
        this.sink = sink;
        if (!watch) {
            check(true);
            return;
        }
        String name = "flagstore-file-" + file.getFileName();
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, name + "-reload"));
        check(true);
        long pollMillis = pollInterval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> checkSafely(false), pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        startWatching(name + "-watch");
    }

    private void startWatching(String threadName) {
        Path directory = file.toAbsolutePath().getParent();
        try {
            watchService = directory.getFileSystem().newWatchService();
            directory.register(
                    watchService,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.DEBUG, () -> "cannot watch " + directory + "; polling every " + pollInterval, e);
            return;
        }
        daemon(this::watch, threadName).start();
    }

    private void watch() {
        try {
            while (!closed) {
                WatchKey key = watchService.take();
                key.pollEvents(); // any change in the directory may be ours (renames, symlink swaps)
                key.reset();
                if (checkPending.compareAndSet(false, true)) {
                    scheduler.schedule(
                            () -> {
                                checkPending.set(false);
                                checkSafely(true);
                            },
                            debounce.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException | java.util.concurrent.RejectedExecutionException e) {
            // closed: stop watching
        }
    }

    /** A check on the scheduler: an exception must not end the polling. */
    private void checkSafely(boolean force) {
        try {
            check(force);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "checking " + file + " for changes failed", e);
        }
    }

    /**
     * Reloads when the file changed: always when {@code force} (a watch event), else when its
     * attributes differ from the last check. Identical content is never delivered twice.
     */
    private synchronized void check(boolean force) {
        if (closed) {
            return;
        }
        byte[] content;
        try {
            Object attributes = attributes();
            if (!force && attributes.equals(lastAttributes)) {
                return;
            }
            lastAttributes = attributes;
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            lastAttributes = null;
            lastContent = null; // the same content coming back is news
            String detail =
                    e instanceof NoSuchFileException ? file + " does not exist" : "cannot read " + file + ": " + e;
            problem(detail, detail + "; keeping the last good flags", false);
            return;
        }
        if (content.length == 0) {
            lastAttributes = null; // most likely truncated for a rewrite: look again, do not report
            return;
        }
        if (Arrays.equals(content, lastContent)) {
            return;
        }
        lastContent = content;
        FlagDocument document;
        try {
            document = Documents.readCompleteSet(new String(content, StandardCharsets.UTF_8));
        } catch (InvalidFlagException e) {
            problem(
                    file + ": " + e.problems().get(0),
                    file + " is invalid, keeping the last good flags: " + e.getMessage(),
                    true);
            return;
        }
        deliver(document);
    }

    private void deliver(FlagDocument document) {
        if (!loaded) {
            set.replace(document.flags(), document.segments(), clock.instant());
            FlagData data = set.data();
            sink.init(data);
            loaded = true;
            LOG.log(Level.DEBUG, () -> "loaded " + data.flags().size() + " flags from " + file);
        } else {
            FlagUpdate update = set.replace(document.flags(), document.segments(), clock.instant());
            if (update != null) {
                sink.apply(update);
                LOG.log(Level.DEBUG, () -> "reloaded " + file + " as version " + update.version());
            }
        }
        if (!valid) {
            valid = true;
            lastProblem = null;
            sink.stateChanged(SourceState.VALID, null);
        }
    }

    /**
     * Reports the source stale and logs why: once per distinct problem, and once per new content of
     * the file (two broken edits in a row are both worth a line).
     */
    private void problem(String detail, String logMessage, boolean newContent) {
        if (newContent || !detail.equals(lastProblem)) {
            LOG.log(Level.WARNING, logMessage);
            lastProblem = detail;
            valid = false;
            sink.stateChanged(SourceState.STALE, detail);
        }
    }

    private Object attributes() throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return Arrays.asList(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Stops watching and polling. Idempotent. */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
            if (watchService != null) {
                try {
                    watchService.close();
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "closing the watch service failed", e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "FileFlagSource[" + file + "]";
    }

    /** Builder for {@link FileFlagSource}; not thread-safe. */
    public static final class Builder {
        private final Path file;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration debounce = DEFAULT_DEBOUNCE;
        private boolean watch = true;

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file, "file");
        }

        /**
         * How often the file's attributes are compared when no watch event arrives (default 1 s).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = positive(pollInterval, "pollInterval");
            return this;
        }

        /**
         * How long to wait after a watch event before reading, so a burst of events (a save in
         * several writes) is read once (default 50 ms).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder debounce(Duration debounce) {
            this.debounce = positive(debounce, "debounce");
            return this;
        }

        /**
         * Whether the file is watched and reloaded when it changes (default {@code true}). With {@code
         * false} it is read once, at start, and the source uses no thread: for a flag file baked into
         * an image that nothing rewrites. A file that is missing or invalid at start then leaves the
         * client without flags for good.
         */
        public Builder watch(boolean watch) {
            this.watch = watch;
            return this;
        }

        /** A source, not started yet. */
        public FileFlagSource build() {
            return new FileFlagSource(this);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
