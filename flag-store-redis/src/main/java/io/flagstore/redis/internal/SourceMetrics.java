package io.flagstore.redis.internal;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;

/**
 * The {@code flagstore.source.*} meters of one Redis source. Micrometer is optional: a source without a
 * registry records into {@link Off}, and no Micrometer class is loaded. Thread-safe.
 */
public interface SourceMetrics {
    /** {@code kind} tag of {@code flagstore.source.errors}. */
    enum ErrorKind {
        /** A change message that could not be decoded. */
        MESSAGE,
        /** A flag or segment hash that could not be decoded. */
        FLAG,
        /** The local backup file could not be read or written. */
        BACKUP;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The {@code path} tags of {@code flagstore.source.propagation.lag}. */
    List<String> PATHS = List.of("push", "catchup", "reload");

    /**
     * @param registry where to register, or {@code null} for no metrics
     * @param namespace the {@code namespace} tag
     */
    static SourceMetrics of(MeterRegistry registry, String namespace) {
        return registry == null ? Off.INSTANCE : new MicrometerSourceMetrics(registry, namespace);
    }

    /** Subscribed or not; called by the updater thread only. */
    void connected(boolean nowConnected);

    /** One catch-up (changes since the applied version). */
    void catchUp();

    /** One full load of the namespace. */
    void fullReload();

    /** One update applied. */
    void updated();

    /**
     * A write made at {@code writtenAtMillis} (epoch ms, Redis's clock) applied here at {@code
     * nowMillis}, delivered by {@code path} (one of {@link #PATHS}).
     */
    void lag(String path, long writtenAtMillis, long nowMillis);

    /** How many keys are corrupt now. */
    void corrupt(int count);

    /** One corrupt message or hash ignored, or a backup failure. */
    void error(ErrorKind kind);

    /** No registry: nothing recorded. */
    enum Off implements SourceMetrics {
        INSTANCE;

        @Override
        public void connected(boolean nowConnected) {}

        @Override
        public void catchUp() {}

        @Override
        public void fullReload() {}

        @Override
        public void updated() {}

        @Override
        public void lag(String path, long writtenAtMillis, long nowMillis) {}

        @Override
        public void corrupt(int count) {}

        @Override
        public void error(ErrorKind kind) {}
    }
}
