package io.flagstore.redis.internal;

import io.flagstore.core.spi.FlagData;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The optional local backup file of one source: read once at start when Redis cannot serve, written
 * on its own thread at most every {@value #DEBOUNCE_MILLIS} ms after changes and once more on close.
 *
 * <p>Not thread-safe (the updater thread's); the writes run on a single background thread.
 */
final class BackupKeeper {
    private static final System.Logger LOG = SourceLog.LOG;
    static final long DEBOUNCE_MILLIS = 500;

    private final Path file;
    private final String namespace;
    private final SourceMetrics metrics;
    private final ExecutorService writer;
    private long dueNanos = Long.MAX_VALUE;

    /** A keeper of {@code file}, or of nothing when it is {@code null}. */
    BackupKeeper(Path file, String namespace, SourceMetrics metrics) {
        this.file = file;
        this.namespace = namespace;
        this.metrics = metrics;
        this.writer = file == null
                ? null
                : Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "flagstore-backup-" + namespace);
                    t.setDaemon(true);
                    return t;
                });
    }

    boolean configured() {
        return file != null;
    }

    /** When the next write is due (nanos; {@link Long#MAX_VALUE}: none pending). */
    long dueNanos() {
        return dueNanos;
    }

    /** The held set changed: write it after the debounce delay. */
    void changed(long nowNanos) {
        if (writer != null && dueNanos == Long.MAX_VALUE) {
            dueNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(DEBOUNCE_MILLIS);
        }
    }

    /** What was just delivered came from the file: nothing new to write. */
    void unchanged() {
        dueNanos = Long.MAX_VALUE;
    }

    /** The file's content, or {@code null} when there is none or it is unusable (logged, counted). */
    BackupFile.Content read() {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        try {
            BackupFile.Content content = BackupFile.read(file);
            if (!content.namespace().equals(namespace)) {
                throw new IOException("it holds namespace '" + content.namespace() + "', not '" + namespace + "'");
            }
            return content;
        } catch (IOException | RuntimeException e) {
            metrics.error(SourceMetrics.ErrorKind.BACKUP);
            LOG.log(Level.WARNING, "cannot use the backup file " + file + ": " + e.getMessage());
            return null;
        }
    }

    /** Says where the client's flags came from, for the state detail. */
    String describe(BackupFile.Content content) {
        return "serving the backup file " + file + " (version " + content.data().version() + ", saved "
                + content.savedAt() + ")";
    }

    /** Writes {@code data} in the background. */
    void write(String epoch, FlagData data) {
        dueNanos = Long.MAX_VALUE;
        writer.execute(() -> {
            try {
                BackupFile.write(file, namespace, epoch, data);
            } catch (IOException | RuntimeException e) {
                metrics.error(SourceMetrics.ErrorKind.BACKUP);
                LOG.log(Level.WARNING, "cannot write the backup file " + file + ": " + e);
            }
        });
    }

    /** Writes what is pending, then waits (bounded) for the writer to finish. */
    void close(String epoch, FlagData data) {
        if (writer == null) {
            return;
        }
        if (dueNanos != Long.MAX_VALUE) {
            write(epoch, data);
        }
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
