package io.flagstore.core;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.Segment;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A flag source held in memory, for tests and local runs: change flags from code and the client
 * sees each change, synchronously, before the call returns. Every write gets the next version and
 * is delivered as one versioned update (a {@link #apply batch} as one), like a store would.
 *
 * <pre>{@code
 * InMemoryFlagSource flags = InMemoryFlagSource.of(Flag.killSwitch("payments-api"));
 * FlagClient client = FlagClient.builder().source(flags).build();
 * flags.setEnabled("payments-api", false);   // client.isEnabled(...) is now false
 * }</pre>
 *
 * <p>Definitions are not validated (use {@code FlagValidator} for that): a broken one evaluates to
 * the caller's default with {@link ErrorKind#MALFORMED_FLAG}, which lets a test exercise that path.
 * Thread-safe; writes are serialized.
 */
public final class InMemoryFlagSource implements FlagSource {
    /** The {@code updatedBy} of flags written through this source. */
    public static final String ACTOR = "in-memory";

    private final VersionedFlagSet set = new VersionedFlagSet(ACTOR);
    private final Clock clock = Clock.systemUTC();
    private FlagSink sink;
    private boolean closed;

    private InMemoryFlagSource() {}

    /** {@return a source holding {@code flags} (written as version 1, or 0 when there are none)} */
    public static InMemoryFlagSource of(Flag... flags) {
        return of(Arrays.asList(flags));
    }

    /** {@return a source holding {@code flags} (written as version 1, or 0 when there are none)} */
    public static InMemoryFlagSource of(Collection<Flag> flags) {
        InMemoryFlagSource source = new InMemoryFlagSource();
        source.apply(flags, List.of());
        return source;
    }

    /**
     * A source holding a document's flags and segments, written as one batch (version 1, or 0 when
     * the document is empty). References between items are not checked: {@link #fromJson(String)}
     * does that.
     */
    public static InMemoryFlagSource of(FlagDocument document) {
        Objects.requireNonNull(document, "document");
        InMemoryFlagSource source = new InMemoryFlagSource();
        source.set.write(document.flags(), List.of(), document.segments(), List.of(), source.clock.instant());
        return source;
    }

    /**
     * A source holding the flags and segments of a JSON document, {@code {"flags":[...],"segments":[...]}}
     * (docs/flag-format.md), such as a {@code flagctl export} writes. The document is validated as a
     * complete set, like a {@link FileFlagSource}'s: every item, and every segment or prerequisite a
     * flag names.
     *
     * <pre>{@code
     * InMemoryFlagSource source = InMemoryFlagSource.fromJson(
     *         "{\"flags\": [{\"key\": \"new-checkout\", \"type\": \"boolean\", \"enabled\": true}]}");
     * }</pre>
     *
     * @throws InvalidFlagException listing every problem found
     */
    public static InMemoryFlagSource fromJson(String json) {
        return of(Documents.readCompleteSet(Objects.requireNonNull(json, "json")));
    }

    /**
     * Like {@link #fromJson(String)}, reading UTF-8 from {@code in} to its end; the stream is not closed.
     *
     * @throws UncheckedIOException if reading fails
     * @throws InvalidFlagException listing every problem found
     */
    public static InMemoryFlagSource fromJson(InputStream in) {
        Objects.requireNonNull(in, "in");
        try {
            return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the flag document: " + e.getMessage(), e);
        }
    }

    /**
     * Like {@link #fromJson(String)}, reading a classpath resource such as {@code "flags.json"} (found
     * through the thread's context class loader, else this library's; a leading {@code /} is
     * ignored): flags that ship with the application, for tests and local runs.
     *
     * @throws IllegalArgumentException if there is no such resource
     * @throws InvalidFlagException listing every problem found, each prefixed with the resource name
     */
    public static InMemoryFlagSource fromClasspath(String resource) {
        Objects.requireNonNull(resource, "resource");
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        InputStream in = loader == null ? null : loader.getResourceAsStream(name);
        if (in == null) {
            in = InMemoryFlagSource.class.getClassLoader().getResourceAsStream(name);
        }
        if (in == null) {
            throw new IllegalArgumentException("no classpath resource '" + name + "'");
        }
        try (InputStream stream = in) {
            return fromJson(stream);
        } catch (InvalidFlagException e) {
            throw new InvalidFlagException(
                    e.problems().stream().map(p -> name + ": " + p).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void start(FlagSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (this.sink != null || closed) {
            throw new IllegalStateException("an InMemoryFlagSource is started once, by one client");
        }
        this.sink = sink;
        sink.init(set.data());
        sink.stateChanged(SourceState.VALID, null);
    }

    /** Creates or replaces a flag; returns the version of the write. */
    public long put(Flag flag) {
        return apply(List.of(Objects.requireNonNull(flag, "flag")), List.of());
    }

    /**
     * Creates, replaces and deletes flags in one write, seen by the client whole; returns its version
     * (unchanged when both lists are empty or name only absent keys).
     */
    public synchronized long apply(Collection<Flag> upserts, Collection<String> deletes) {
        upserts.forEach(flag -> Objects.requireNonNull(flag, "flag"));
        deletes.forEach(key -> Objects.requireNonNull(key, "key"));
        return deliver(set.write(upserts, deletes, List.of(), List.of(), clock.instant()));
    }

    /** Deletes a flag; returns whether it existed. */
    public boolean delete(String key) {
        Objects.requireNonNull(key, "key");
        synchronized (this) {
            boolean existed = set.flags().containsKey(key);
            apply(List.of(), List.of(key));
            return existed;
        }
    }

    /**
     * Turns a flag on or off (the kill switch); returns the version of the write.
     *
     * @throws FlagNotFoundException if there is no such flag
     */
    public synchronized long setEnabled(String key, boolean enabled) {
        Flag flag = set.flags().get(Objects.requireNonNull(key, "key"));
        if (flag == null) {
            throw new FlagNotFoundException(key);
        }
        return put(flag.withEnabled(enabled));
    }

    /** Creates or replaces a segment; returns the version of the write. */
    public synchronized long putSegment(Segment segment) {
        Objects.requireNonNull(segment, "segment");
        return deliver(set.write(List.of(), List.of(), List.of(segment), List.of(), clock.instant()));
    }

    /** Deletes a segment; returns the version of the write (unchanged if it did not exist). */
    public synchronized long deleteSegment(String key) {
        Objects.requireNonNull(key, "key");
        return deliver(set.write(List.of(), List.of(), List.of(), List.of(key), clock.instant()));
    }

    /** {@return the flag as currently held (stamped with its write's version)} */
    public synchronized Optional<Flag> get(String key) {
        return Optional.ofNullable(set.flags().get(Objects.requireNonNull(key, "key")));
    }

    /** {@return every flag currently held} */
    public synchronized List<Flag> flags() {
        return List.copyOf(set.flags().values());
    }

    /** {@return the version of the last write} */
    public synchronized long version() {
        return set.version();
    }

    /**
     * Reports a source state to the client, for testing how an application reacts to a stale store
     * ({@link SourceState#STALE}) or a reset one.
     */
    public synchronized void reportState(SourceState state, String message) {
        Objects.requireNonNull(state, "state");
        if (sink != null && !closed) {
            sink.stateChanged(state, message);
        }
    }

    private long deliver(FlagUpdate update) {
        if (update != null && sink != null && !closed) {
            sink.apply(update);
        }
        return set.version();
    }

    /** Stops delivering; the flags stay readable here. */
    @Override
    public synchronized void close() {
        closed = true;
    }

    @Override
    public synchronized String toString() {
        return "InMemoryFlagSource[version=" + set.version() + ", flags="
                + set.flags().size() + "]";
    }
}
