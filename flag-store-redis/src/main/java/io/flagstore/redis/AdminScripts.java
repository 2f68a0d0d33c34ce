package io.flagstore.redis;

import io.flagstore.core.FlagStoreException;
import io.flagstore.redis.internal.FlagHashCodec;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.internal.LuaScript;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * The admin side's Lua scripts as typed calls: the one place that knows each script's key and
 * argument order (write.lua, schedule.lua, settle-schedule.lua, prune-clients.lua) and turns their
 * error replies into exceptions. The scripts' headers document the same orders.
 *
 * <p>Thread-safe.
 */
final class AdminScripts {
    /** The write script's expectation for an item that must not exist. */
    static final long MUST_NOT_EXIST = -1;
    /** The write script's expectation for an item written over whatever is stored. */
    static final long ANY_VERSION = -2;

    private static final String CONFLICT = "FLAGSTORE_CONFLICT";
    private static final String RESET = "FLAGSTORE_RESET";
    private static final String NOT_EMPTY = "FLAGSTORE_NOT_EMPTY";
    private static final String CLAIMED = "FLAGSTORE_CLAIMED";
    private static final String REGRESSED = "FLAGSTORE_REGRESSED";
    private static final String SLOW = "FLAGSTORE_SLOW";
    /** Between sends of a write whose connection broke, while Lettuce reconnects. */
    private static final Duration RESEND_PAUSE = Duration.ofMillis(20);

    /** How the write script treats the namespace. */
    enum Mode {
        /** An ordinary write; refused into a lost namespace or one whose version went backwards. */
        WRITE("write"),
        /** A re-seed into an empty namespace. */
        SEED("seed"),
        /** A re-seed replacing whatever the namespace holds. */
        FORCE_SEED("force-seed");

        final String arg;

        Mode(String arg) {
            this.arg = arg;
        }
    }

    /** What the write script does with an item's key. */
    enum Action {
        /** Stores the given fields. */
        PUT("put"),
        /** Deletes the key. */
        DELETE("del"),
        /**
         * Stores the flag the key holds with the given fields replaced, read and checked inside the
         * script; {@link SlowPath} when the stored hash is not as a write left it.
         */
        SWITCH("switch");

        final String arg;

        Action(String arg) {
            this.arg = arg;
        }
    }

    /**
     * One item of a write.
     *
     * @param expected the version the key must have, {@link #MUST_NOT_EXIST} or {@link #ANY_VERSION}
     * @param fields the hash fields to store (empty for a delete; for a switch, the ones it replaces)
     */
    record Item(boolean segment, Action action, String key, long expected, Map<String, String> fields) {}

    /** The schedule id a scheduled write claims, and how long its settled hash is kept. */
    record Claim(String id, long keepSeconds) {}

    /**
     * Everything the write script stores besides the items: the audit entry's parts, the change
     * message body (everything after {@code "ts":..,}), and the optional schedule claim.
     *
     * @param segmentsBefore the audit's segments before, or {@code ""} when the write touches no segment
     * @param buildDependents whether the script builds the dependents index over the stored flags
     *     when it is not complete yet (the caller checked this write against the whole namespace)
     */
    record Write(
            String op,
            String actor,
            String reason,
            Mode mode,
            List<Item> items,
            String auditKeys,
            String before,
            String after,
            String segmentsBefore,
            String segmentsAfter,
            String messageBody,
            boolean buildDependents,
            Claim claim) {}

    /** The write script's reply. */
    record Written(long version, long receivers, Instant at) {}

    /** An item's expected version did not match (nothing written). */
    static final class Conflict extends FlagStoreException {
        private static final long serialVersionUID = 1L;
        final boolean segment;
        final String key;
        final long expected;
        final long actual;

        Conflict(boolean segment, String key, long expected, long actual) {
            super((segment ? "segment " : "flag ") + key + ": expected " + expected + ", found " + actual);
            this.segment = segment;
            this.key = key;
            this.expected = expected;
            this.actual = actual;
        }
    }

    /** A switch found the stored flag unlike what a write left (or absent): nothing was written. */
    static final class SlowPath extends FlagStoreException {
        private static final long serialVersionUID = 1L;

        SlowPath(String why) {
            super("the flag must be read and checked first: " + why);
        }
    }

    /** A scheduled write found its id already claimed, cancelled or failed by someone else. */
    static final class ClaimLostException extends FlagStoreException {
        private static final long serialVersionUID = 1L;

        ClaimLostException(String id) {
            super("scheduled change " + id + " is no longer pending");
        }
    }

    private final AdminRedis redis;
    private final KeySchema keys;

    AdminScripts(AdminRedis redis) {
        this.redis = redis;
        this.keys = redis.keys();
    }

    /**
     * Runs write.lua under a fresh write id, which is also the epoch of a namespace the write
     * creates. Redis keeps the reply under that id for {@link #rememberWrittenSeconds()}: if the
     * connection breaks before the reply, Lettuce sends the same command again on reconnect (to a
     * promoted replica after a failover), and it gets the first reply instead of running twice.
     *
     * @throws Conflict if an item's expected version does not match
     * @throws WriteOutcomeUnknownException if the script was sent but no reply came
     */
    Written write(Write w, String redisUser, int deletedLogLimit) {
        String writeId = UUID.randomUUID().toString();
        List<String> scriptKeys = new ArrayList<>(List.of(
                keys.version(),
                keys.meta(),
                keys.flags(),
                keys.segments(),
                keys.deleted(),
                keys.audit(),
                keys.clients(),
                keys.dependents()));
        List<String> args = new ArrayList<>(List.of(
                writeId,
                Integer.toString(KeySchema.SCHEMA_VERSION),
                w.op(),
                w.actor(),
                w.reason() == null ? "" : w.reason(),
                w.auditKeys(),
                w.before(),
                w.after(),
                w.segmentsBefore(),
                w.segmentsAfter(),
                w.messageBody(),
                keys.changes(),
                Integer.toString(deletedLogLimit),
                Integer.toString(KeySchema.AUDIT_MAX_LENGTH),
                w.mode().arg,
                Long.toString(Presence.DEFAULT_HEARTBEAT_INTERVAL.toMillis()),
                keys.prefix(),
                Integer.toString(w.items().size()),
                redis.client().publishCommand(),
                Long.toString(Presence.CLOCK_TOLERANCE.toMillis()),
                Long.toString(Presence.MAX_VERSION),
                redisUser == null ? "" : redisUser,
                w.buildDependents() ? "1" : "",
                String.join(",", FlagHashCodec.FLAG_JSON_FIELDS),
                Long.toString(rememberWrittenSeconds())));
        for (Item item : w.items()) {
            scriptKeys.add(item.segment() ? keys.segment(item.key()) : keys.flag(item.key()));
            args.add(item.segment() ? "segment" : "flag");
            args.add(item.action().arg);
            args.add(item.key());
            args.add(Long.toString(item.expected()));
            args.add(Integer.toString(item.fields().size()));
            item.fields().forEach((name, value) -> {
                args.add(name);
                args.add(value);
            });
        }
        if (w.claim() != null) {
            scriptKeys.add(keys.scheduled());
            scriptKeys.add(keys.schedule(w.claim().id()));
            args.add(w.claim().id());
            args.add(Long.toString(w.claim().keepSeconds()));
        }
        List<Object> reply = run(w.op(), scriptKeys.toArray(String[]::new), args.toArray(String[]::new));
        return new Written((Long) reply.get(0), (Long) reply.get(1), Instant.ofEpochMilli((Long) reply.get(2)));
    }

    /**
     * Runs the write script; when the connection breaks after the call left, sends the same call
     * (the same write id) again once reconnected, within the command timeout: Redis answers with the
     * first reply if the first call ran, so the caller learns the outcome instead of "unknown".
     */
    private List<Object> run(String op, String[] scriptKeys, String[] args) {
        long deadline = System.nanoTime() + redis.options().commandTimeout().toNanos();
        RedisException unanswered = null;
        while (true) {
            try {
                return LuaScript.WRITE.run(redis.sync(), ScriptOutputType.MULTI, scriptKeys, args);
            } catch (RedisCommandExecutionException e) {
                throw writeError(e);
            } catch (RedisException e) {
                if (unanswered == null && !sentButUnanswered(e)) {
                    throw redis.translate(e, "EVALSHA write");
                }
                unanswered = unanswered == null ? e : unanswered;
                if (e instanceof RedisCommandTimeoutException || System.nanoTime() >= deadline) {
                    throw unknownOutcome(op, unanswered);
                }
                LockSupport.parkNanos(RESEND_PAUSE.toNanos()); // while the connection comes back
            }
        }
    }

    /**
     * How long Redis remembers a write's reply: a re-sent command is still pending, so it arrives
     * within the command timeout; twice that, and at least a minute, leaves room for a reconnect.
     */
    private long rememberWrittenSeconds() {
        return Math.max(60, 2 * redis.options().commandTimeout().toSeconds());
    }

    /**
     * Whether a failure came after the command left: a timeout, or a connection that broke under
     * it. A command refused before sending (not connected) or a failed connect wrote nothing.
     */
    private static boolean sentButUnanswered(RedisException e) {
        if (e instanceof RedisCommandTimeoutException) {
            return true;
        }
        String message = String.valueOf(e.getMessage());
        return !(e instanceof RedisConnectionException)
                && !message.contains("Commands are rejected")
                && !message.contains("not connected");
    }

    private WriteOutcomeUnknownException unknownOutcome(String op, RedisException e) {
        return new WriteOutcomeUnknownException(
                op,
                "the " + op + " was sent to Redis at " + redis.options().redactedUri()
                        + " but no reply came within " + redis.options().commandTimeout()
                        + " (" + e.getMessage() + "): it may or may not have been written",
                e);
    }

    private RuntimeException writeError(RedisCommandExecutionException e) {
        String message = String.valueOf(e.getMessage());
        String[] words = message.split(" ");
        if (message.startsWith(RESET)) {
            // FLAGSTORE_RESET <live instances> <highest version they hold>
            return new NamespaceResetException(keys.namespace(), Long.parseLong(words[1]), Long.parseLong(words[2]));
        }
        if (message.startsWith(REGRESSED)) {
            // FLAGSTORE_REGRESSED <live instances above> <highest version they hold> <namespace version>
            return new VersionRegressionException(
                    keys.namespace(), Long.parseLong(words[3]), Long.parseLong(words[2]), Long.parseLong(words[1]));
        }
        if (message.startsWith(NOT_EMPTY)) {
            // FLAGSTORE_NOT_EMPTY <version> <flags and segments> <origin>
            return new NamespaceNotEmptyException(
                    keys.namespace(), Long.parseLong(words[1]), Long.parseLong(words[2]), words[3]);
        }
        if (message.startsWith(SLOW)) {
            return new SlowPath(message.substring(SLOW.length()).trim());
        }
        if (message.startsWith(CLAIMED)) {
            return new ClaimLostException(words[1]);
        }
        if (message.startsWith(CONFLICT)) {
            // FLAGSTORE_CONFLICT <kind> <key> <expected> <actual>
            return new Conflict(
                    words[1].equals("segment"), words[2], Long.parseLong(words[3]), Long.parseLong(words[4]));
        }
        return redis.translate(e, "EVALSHA write");
    }

    /** One scheduled change for {@link #schedule}. */
    record Scheduled(String id, long dueMillis, String keys, String change) {}

    /** Runs schedule.lua: stores the changes, all or none, each audited as op {@code schedule}. */
    void schedule(List<Scheduled> changes, String actor, String reason) {
        List<String> scriptKeys = new ArrayList<>(List.of(keys.scheduled(), keys.audit()));
        List<String> args = new ArrayList<>(List.of(
                actor,
                reason == null ? "" : reason,
                Integer.toString(KeySchema.AUDIT_MAX_LENGTH),
                Integer.toString(changes.size())));
        for (Scheduled change : changes) {
            scriptKeys.add(keys.schedule(change.id()));
            args.addAll(List.of(change.id(), Long.toString(change.dueMillis()), change.keys(), change.change()));
        }
        redis.call(
                "EVALSHA schedule",
                () -> LuaScript.SCHEDULE.<Long>run(
                        redis.sync(),
                        ScriptOutputType.INTEGER,
                        scriptKeys.toArray(String[]::new),
                        args.toArray(String[]::new)));
    }

    /**
     * Runs settle-schedule.lua: settles pending change {@code id} without writing; false if it was
     * no longer pending.
     */
    boolean settle(String id, ScheduleEntry.State state, String op, String actor, String detail, long keepSeconds) {
        Long settled = redis.call(
                "EVALSHA settle-schedule",
                () -> LuaScript.SETTLE_SCHEDULE.<Long>run(
                        redis.sync(),
                        ScriptOutputType.INTEGER,
                        new String[] {keys.scheduled(), keys.schedule(id), keys.audit()},
                        id,
                        state.name().toLowerCase(Locale.ROOT),
                        op,
                        actor,
                        detail == null ? "" : detail,
                        Integer.toString(KeySchema.AUDIT_MAX_LENGTH),
                        Long.toString(keepSeconds),
                        UUID.randomUUID().toString()));
        return settled == 1;
    }

    /** Runs prune-clients.lua: removes presence entries still holding the values read. */
    long prune(Map<String, String> entries) {
        List<String> args = new ArrayList<>();
        entries.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        return redis.call(
                "EVALSHA prune-clients",
                () -> LuaScript.PRUNE_CLIENTS.<Long>run(
                        redis.sync(),
                        ScriptOutputType.INTEGER,
                        new String[] {keys.clients()},
                        args.toArray(String[]::new)));
    }
}
