package io.flagstore.redis.testing;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagUpdate;
import io.flagstore.core.spi.SourceState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link FlagSink} that keeps what a client would hold (version-gated per key, deletes leave
 * tombstones) and records what it was told, for tests that drive a source without a client.
 * Thread-safe.
 */
public final class RecordingSink implements FlagSink {
    private final Map<String, Flag> flags = new HashMap<>();
    private final Map<String, Segment> segments = new HashMap<>();
    private final Map<String, Long> tombstones = new HashMap<>();
    private final List<SourceState> states = new ArrayList<>();
    private long version = -1;
    private int inits;
    private int applies;
    private SourceState state = SourceState.INITIALIZING;
    private String stateMessage;

    @Override
    public synchronized void init(FlagData data) {
        flags.clear();
        flags.putAll(data.flags());
        segments.clear();
        segments.putAll(data.segments());
        tombstones.clear();
        version = data.version();
        inits++;
    }

    @Override
    public synchronized void apply(FlagUpdate update) {
        for (Flag flag : update.flags()) {
            if (flag.version() > held(flag.key())) {
                flags.put(flag.key(), flag);
                tombstones.remove(flag.key());
            }
        }
        for (String key : update.deletedFlags()) {
            if (update.version() > held(key)) {
                flags.remove(key);
                tombstones.put(key, update.version());
            }
        }
        for (Segment segment : update.segments()) {
            Segment old = segments.get(segment.key());
            if (old == null || segment.version() > old.version()) {
                segments.put(segment.key(), segment);
            }
        }
        update.deletedSegments().forEach(segments::remove);
        version = Math.max(version, update.version());
        applies++;
    }

    private long held(String key) {
        Flag flag = flags.get(key);
        return flag != null ? flag.version() : tombstones.getOrDefault(key, -1L);
    }

    @Override
    public synchronized void stateChanged(SourceState newState, String message) {
        states.add(newState);
        state = newState;
        stateMessage = message;
    }

    /** A copy of the flags held. */
    public synchronized Map<String, Flag> flags() {
        return Map.copyOf(flags);
    }

    /** The flag held under {@code key}, or {@code null}. */
    public synchronized Flag flag(String key) {
        return flags.get(key);
    }

    /** A copy of the segments held. */
    public synchronized Map<String, Segment> segments() {
        return Map.copyOf(segments);
    }

    /** The namespace version applied; -1 before the first init. */
    public synchronized long version() {
        return version;
    }

    /** How many full sets were delivered. */
    public synchronized int inits() {
        return inits;
    }

    /** How many incremental updates were delivered. */
    public synchronized int applies() {
        return applies;
    }

    /** The last state reported. */
    public synchronized SourceState state() {
        return state;
    }

    /** The message of the last state reported, or {@code null}. */
    public synchronized String stateMessage() {
        return stateMessage;
    }

    /** Every state reported, in order. */
    public synchronized List<SourceState> states() {
        return List.copyOf(states);
    }

    @Override
    public synchronized String toString() {
        return "RecordingSink[version=" + version + ", flags=" + flags.size() + ", state=" + state + ", inits=" + inits
                + ", applies=" + applies + "]";
    }
}
