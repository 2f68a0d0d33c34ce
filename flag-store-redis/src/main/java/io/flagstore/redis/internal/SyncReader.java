package io.flagstore.redis.internal;

import io.flagstore.redis.internal.SyncDecider.Action;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The reads a source's {@link SyncDecider} asks for: the namespace head, and a catch-up or a load of
 * the whole namespace ({@link PagedSync}) from the version that the action and what is held call
 * for. A whole load first waits for one of the JVM's {@link LoadSlots}.
 *
 * <p>Not thread-safe (the updater thread's).
 */
final class SyncReader {
    private static final LuaScript HEAD = LuaScript.load("source-head.lua");

    private final KeySchema keys;
    private final String[] headKeys;
    private final int pageSize;
    private final HeldSet held;
    private final BooleanSupplier interrupted;

    /** {@code interrupted}: whether a load in pages gives up between pages (and stops waiting for a slot). */
    SyncReader(KeySchema keys, int pageSize, HeldSet held, BooleanSupplier interrupted) {
        this.keys = keys;
        this.headKeys = new String[] {keys.version(), keys.meta()};
        this.pageSize = pageSize;
        this.held = held;
        this.interrupted = interrupted;
    }

    /** The namespace's version, epoch and origin. */
    SyncDecider.Head head(RedisClusterCommands<String, String> redis) {
        List<Object> head = HEAD.runReadOnly(redis, ScriptOutputType.MULTI, headKeys);
        return new SyncDecider.Head((Long) head.get(0), (String) head.get(1), (String) head.get(2));
    }

    /**
     * The version to read from for {@code action} in {@code state} (negative: the whole namespace). A
     * verified catch-up starts low enough to check what is held from the failover loss window before a
     * disconnect, and below the writes applied from the audit stream and not yet confirmed.
     */
    long since(Action action, SyncState state) {
        return switch (action) {
            case FULL -> -1;
            case VERIFIED_CATCH_UP -> Math.min(
                    state.verify()
                            ? held.floor(state.disconnectedAtMillis() - SyncDecider.FAILOVER_LOSS_WINDOW_MILLIS)
                            : held.version(),
                    state.unconfirmed() >= 0 ? state.unconfirmed() : Long.MAX_VALUE);
            default -> held.version();
        };
    }

    /**
     * Reads what changed since {@code since} (negative: the whole namespace), decoding each page as it
     * arrives when {@code decodeAsRead}; {@code null} when it was given up for a stop or a disconnect
     * (the read is still owed).
     */
    SyncResult read(RedisClusterCommands<String, String> redis, long since, boolean decodeAsRead) {
        boolean whole = since < 0;
        if (whole && !LoadSlots.SHARED.take(interrupted)) {
            return null;
        }
        try {
            return PagedSync.read(redis, keys, since, pageSize, interrupted, decodeAsRead);
        } finally {
            if (whole) {
                LoadSlots.SHARED.release();
            }
        }
    }
}
