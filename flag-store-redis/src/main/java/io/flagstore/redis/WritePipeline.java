package io.flagstore.redis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.FlagStoreException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.VersionConflictException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.FlagValidator;
import io.flagstore.redis.internal.ChangeMessage;
import io.flagstore.redis.internal.FlagHashCodec;
import io.flagstore.redis.internal.HashChecksum;
import io.flagstore.redis.internal.KeySchema;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * Every write, the same way: plan the changes, read what the keys hold, stamp and validate, run the
 * write script, wait for replicas, report. A conflict on a key whose version the caller did not pin
 * re-plans the write (up to {@link #MAX_ATTEMPTS} times, with a randomised backoff).
 *
 * <p>Thread-safe.
 */
final class WritePipeline {
    static final int MAX_ATTEMPTS = 5;
    /** A valid flag, to check an actor as a switch would store it (as {@code updatedBy}). */
    private static final Flag ACTOR_PROBE = Flag.killSwitch("actor-probe");

    /**
     * The changes as they will be stored, validated, with what is stored now, and whether the write
     * script builds the dependents index (the check read the whole namespace for want of it).
     */
    private record Prepared(List<Change> changes, List<StoreReader.Stored> current, boolean buildDependents) {}

    /**
     * Plans a write against what is stored when it runs (again on each retry). A planner that read
     * the keys it changes hands that read over, so the write does not read them a second time.
     */
    interface Planner {
        /** The changes to write. */
        List<Change> changes();

        /** What {@link #changes()} read of each change's key, in order, or {@code null} if it read nothing. */
        default List<StoreReader.Stored> read() {
            return null;
        }
    }

    private final AdminRedis redis;
    private final StoreReader reader;
    private final AdminScripts scripts;
    private final ReferenceCheck referenceCheck;
    private volatile String redisUser;
    private volatile boolean redisUserAsked;
    private volatile int deletedLogLimit = KeySchema.DELETED_LOG_LIMIT;
    private volatile String lastValidActor;

    WritePipeline(AdminRedis redis, StoreReader reader, AdminScripts scripts) {
        this.redis = redis;
        this.reader = reader;
        this.scripts = scripts;
        this.referenceCheck = new ReferenceCheck(reader);
    }

    /** Lowers the deletion-log limit so tests can trim without 10,000 deletes. */
    void deletedLogLimit(int limit) {
        this.deletedLogLimit = limit;
    }

    WriteResult write(String op, WriteOptions options, Planner planner) {
        return write(op, options, AdminScripts.Mode.WRITE, planner, null);
    }

    WriteResult write(
            String op, WriteOptions options, AdminScripts.Mode mode, Planner planner, AdminScripts.Claim claim) {
        Objects.requireNonNull(options, "options");
        for (int attempt = 1; ; attempt++) {
            try {
                List<Change> planned = planner.changes();
                return execute(op, planned, planner.read(), options, mode, claim);
            } catch (RetryableConflict e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw e.conflict;
                }
                // randomised backoff so competing admins do not collide again in lockstep
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(100_000L, 1_000_000L * attempt));
            }
        }
    }

    /**
     * Turns flag {@code key} on or off in one script call: the script reads the stored flag and
     * writes it with {@code enabled} and {@code updatedBy} replaced, when its checksum shows the hash
     * is as a validated write left it (so the result is valid too: neither field can break a flag or
     * a reference). Otherwise (absent, unreadable, edited by hand, an actor the validator refuses) it
     * is the read-modify-write of {@link #modify}, which reports what is wrong.
     */
    WriteResult toggle(String op, String key, boolean enabled, WriteOptions options) {
        Objects.requireNonNull(key, "key");
        Planner planner = modify(key, f -> f.withEnabled(enabled), options.expectedVersion());
        if (!validActor(options.actor())) {
            return write(op, options, planner);
        }
        ObjectNode replaced = JsonNodeFactory.instance.objectNode();
        replaced.put("enabled", enabled);
        replaced.put("updatedBy", options.actor());
        Long expected = options.expectedVersion();
        AdminScripts.Item item = new AdminScripts.Item(
                false,
                AdminScripts.Action.SWITCH,
                key,
                expected == null ? AdminScripts.ANY_VERSION : expected == 0 ? AdminScripts.MUST_NOT_EXIST : expected,
                FlagHashCodec.fields(replaced));
        AdminScripts.Write write = new AdminScripts.Write(
                op,
                options.actor(),
                options.reason(),
                AdminScripts.Mode.WRITE,
                List.of(item),
                key,
                "",
                "",
                "",
                "",
                ChangeMessage.bodyForOneFlag(op, options.actor()),
                false,
                null);
        AdminScripts.Written written;
        try {
            written = scripts.write(write, redisUser(), deletedLogLimit);
        } catch (AdminScripts.SlowPath e) {
            return write(op, options, planner);
        } catch (AdminScripts.Conflict e) {
            throw new VersionConflictException(key, Math.max(0, e.expected), e.actual);
        }
        awaitReplicas(written.version());
        return new WriteResult(written.version(), written.receivers(), List.of(key), written.at());
    }

    /**
     * Whether the validator accepts {@code actor} as a flag's {@code updatedBy}; the last one
     * accepted is remembered, since an admin writes as the same actor again and again.
     */
    private boolean validActor(String actor) {
        if (actor.equals(lastValidActor)) {
            return true;
        }
        boolean valid = FlagValidator.problems(
                        ACTOR_PROBE.toBuilder().updatedBy(actor).build())
                .isEmpty();
        if (valid) {
            lastValidActor = actor;
        }
        return valid;
    }

    /** Checks that {@code planned} would be written now (keys exist, results valid), writing nothing. */
    void check(List<Change> planned, String actor) {
        prepare(planned, null, actor, AdminScripts.Mode.WRITE);
    }

    /**
     * A planner that reads flag {@code key} (its hash and index version in one round trip, which the
     * write then uses as what is stored), applies {@code change} and writes the result expecting the
     * version read (or {@code expected}, checked as-is, when not null).
     */
    Planner modify(String key, UnaryOperator<Flag> change, Long expected) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(change, "change");
        return new Planner() {
            private List<StoreReader.Stored> read;

            @Override
            public List<Change> changes() {
                StoreReader.Stored stored = reader.storedFlag(key);
                read = List.of(stored);
                Flag current = Optional.ofNullable(stored.flag()).orElseThrow(() -> new FlagNotFoundException(key));
                if (expected != null && current.version() != expected) {
                    throw new VersionConflictException(key, expected, current.version());
                }
                Flag changed = Objects.requireNonNull(change.apply(current), "change returned null");
                if (!changed.key().equals(key)) {
                    throw new IllegalArgumentException("change turned flag '" + key + "' into '" + changed.key() + "'");
                }
                return List.of(Change.putFlag(changed, current.version(), expected != null));
            }

            @Override
            public List<StoreReader.Stored> read() {
                return read;
            }
        };
    }

    private Prepared prepare(
            List<Change> planned, List<StoreReader.Stored> read, String actor, AdminScripts.Mode mode) {
        List<StoreReader.Stored> current = read != null ? read : reader.current(planned);
        for (int i = 0; i < planned.size(); i++) {
            if (planned.get(i).mustExist() && !current.get(i).exists()) {
                throw new FlagNotFoundException(planned.get(i).displayKey());
            }
        }
        List<Change> changes = stamp(planned, current, actor);
        validateItems(changes);
        if (mode != AdminScripts.Mode.WRITE) {
            return new Prepared(changes, current, false); // a seed's set is the document alone, checked by Reseed
        }
        ReferenceCheck.Verdict references = referenceCheck.check(changes, current);
        if (!references.introduced().isEmpty()) {
            throw new InvalidFlagException(references.introduced());
        }
        return new Prepared(changes, current, references.readWhole());
    }

    private WriteResult execute(
            String op,
            List<Change> planned,
            List<StoreReader.Stored> read,
            WriteOptions options,
            AdminScripts.Mode mode,
            AdminScripts.Claim claim) {
        Prepared prepared = prepare(planned, read, options.actor(), mode);
        List<Change> changes = prepared.changes;
        List<StoreReader.Stored> current = prepared.current;

        ArrayNode before = JsonNodeFactory.instance.arrayNode();
        ArrayNode after = JsonNodeFactory.instance.arrayNode();
        ArrayNode segmentsBefore = JsonNodeFactory.instance.arrayNode();
        ArrayNode segmentsAfter = JsonNodeFactory.instance.arrayNode();
        List<ObjectNode> flagTrees = new ArrayList<>();
        List<ObjectNode> segmentTrees = new ArrayList<>();
        List<String> deletedFlags = new ArrayList<>();
        List<String> deletedSegments = new ArrayList<>();
        List<AdminScripts.Item> items = new ArrayList<>();
        boolean touchesSegments = false;
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            StoreReader.Stored stored = current.get(i);
            ObjectNode tree = null;
            if (c.segment()) {
                touchesSegments = true;
                if (stored.segment() != null) {
                    segmentsBefore.add(FlagJson.segmentToTree(stored.segment()));
                }
                if (c.isDelete()) {
                    deletedSegments.add(c.key());
                } else {
                    tree = unversioned(FlagJson.segmentToTree(c.newSegment()));
                    segmentsAfter.add(tree);
                    segmentTrees.add(tree);
                }
            } else {
                if (stored.flag() != null) {
                    before.add(FlagJson.toTree(stored.flag()));
                }
                if (c.isDelete()) {
                    deletedFlags.add(c.key());
                } else {
                    tree = unversioned(FlagJson.toTree(c.flag()));
                    after.add(tree);
                    flagTrees.add(tree);
                }
            }
            items.add(new AdminScripts.Item(
                    c.segment(),
                    c.isDelete() ? AdminScripts.Action.DELETE : AdminScripts.Action.PUT,
                    c.key(),
                    expectation(c, stored),
                    fields(tree)));
        }
        if (mode == AdminScripts.Mode.FORCE_SEED) {
            // the audit keeps what the seed replaces, not only the keys it writes
            StoreReader.Snapshot replaced = reader.all();
            Set<String> written = new HashSet<>();
            changes.forEach(c -> written.add(c.displayKey()));
            replaced.flags().values().stream()
                    .filter(f -> !written.contains(f.key()))
                    .forEach(f -> before.add(FlagJson.toTree(f)));
            replaced.segments().values().stream()
                    .filter(seg -> !written.contains(KeySchema.deletedSegmentMember(seg.key())))
                    .forEach(seg -> segmentsBefore.add(FlagJson.segmentToTree(seg)));
            touchesSegments |= !segmentsBefore.isEmpty();
        }
        String actor = options.actor();
        AdminScripts.Write write = new AdminScripts.Write(
                op,
                actor,
                options.reason(),
                mode,
                items,
                String.join(",", changes.stream().map(Change::displayKey).toList()),
                before.toString(),
                after.toString(),
                touchesSegments ? segmentsBefore.toString() : "",
                touchesSegments ? segmentsAfter.toString() : "",
                ChangeMessage.body(op, actor, flagTrees, deletedFlags, segmentTrees, deletedSegments),
                prepared.buildDependents,
                claim);
        AdminScripts.Written written;
        try {
            written = scripts.write(write, redisUser(), deletedLogLimit);
        } catch (AdminScripts.Conflict e) {
            throw conflict(changes, e);
        }
        awaitReplicas(written.version());
        return new WriteResult(
                written.version(),
                written.receivers(),
                changes.stream().map(Change::displayKey).toList(),
                written.at());
    }

    /** The script's expectation: the caller's version, else the version read (any, for a stray key). */
    private static long expectation(Change c, StoreReader.Stored stored) {
        if (c.expected() != null) {
            return c.expected() == 0 ? AdminScripts.MUST_NOT_EXIST : c.expected();
        }
        if (!stored.exists()) {
            return AdminScripts.MUST_NOT_EXIST;
        }
        return stored.version() == 0 ? AdminScripts.ANY_VERSION : stored.version();
    }

    /** The hash fields of a written tree, with their checksum; none for a delete. */
    private static Map<String, String> fields(ObjectNode tree) {
        if (tree == null) {
            return Map.of();
        }
        Map<String, String> fields = new LinkedHashMap<>(FlagHashCodec.fields(tree));
        fields.put(HashChecksum.FIELD, HashChecksum.of(fields));
        return fields;
    }

    private static RuntimeException conflict(List<Change> changes, AdminScripts.Conflict e) {
        Change change = changes.stream()
                .filter(c -> c.segment() == e.segment && c.key().equals(e.key))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("conflict on an unknown item: " + e.getMessage()));
        VersionConflictException conflict =
                new VersionConflictException(change.displayKey(), Math.max(0, e.expected), e.actual);
        return change.explicit() ? conflict : new RetryableConflict(conflict);
    }

    /**
     * Waits until {@link RedisOptions#replicaAcks()} replicas hold the write just made: {@code WAIT}
     * on the connection that ran it covers every write it sent so far (concurrent callers' included).
     *
     * @throws ReplicationException if fewer replicas confirm in time, or the wait fails
     */
    private void awaitReplicas(long version) {
        RedisOptions options = redis.options();
        int required = options.replicaAcks();
        if (required == 0) {
            return;
        }
        Duration timeout = options.replicaAckTimeout();
        long acknowledged;
        try {
            // WAIT 0 would block forever: never round a short timeout down to it (the options keep it below
            // the command timeout, so Lettuce does not expire the command first); in a cluster, on the
            // connection to the slot's master that ran the script (a keyless WAIT would go to any node)
            acknowledged = redis.await(
                    "WAIT",
                    redis.call("WAIT", () -> redis.connection()
                                    .masterOf(redis.keys().version()))
                            .waitForReplication(required, Math.max(1, timeout.toMillis())));
        } catch (StoreUnavailableException e) {
            throw new ReplicationException(options.redactedUri(), version, 0, required, timeout, e);
        }
        if (acknowledged < required) {
            throw new ReplicationException(options.redactedUri(), version, (int) acknowledged, required, timeout, null);
        }
    }

    /**
     * The changes as they will be stored: flags keep their creation time (the stored one, else the
     * given one, else now) and carry the actor as updatedBy; version and updatedAt are the script's.
     * Validation runs on this form, so nothing is stored that a reader would refuse.
     */
    private static List<Change> stamp(List<Change> changes, List<StoreReader.Stored> current, String actor) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Change> out = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            Flag old = current.get(i).flag();
            if (c.flag() != null) {
                Instant createdAt = old != null && old.createdAt() != null
                        ? old.createdAt()
                        : c.flag().createdAt() != null ? c.flag().createdAt() : now;
                c = c.withFlag(c.flag().toBuilder()
                        .createdAt(createdAt)
                        .updatedBy(actor)
                        .updatedAt(null)
                        .version(0)
                        .build());
            } else if (c.newSegment() != null) {
                c = c.withSegment(c.newSegment().withVersion(0, null));
            }
            out.add(c);
        }
        return out;
    }

    private static ObjectNode unversioned(ObjectNode tree) {
        tree.remove("version");
        tree.remove("updatedAt");
        return tree;
    }

    private static void validateItems(List<Change> changes) {
        List<String> problems = new ArrayList<>();
        for (Change c : changes) {
            List<String> found = c.isDelete()
                    ? List.of()
                    : c.segment() ? FlagValidator.problems(c.newSegment()) : FlagValidator.problems(c.flag());
            found.forEach(p -> problems.add((c.segment() ? "segment '" : "flag '") + c.key() + "': " + p));
        }
        if (!problems.isEmpty()) {
            throw new InvalidFlagException(problems);
        }
    }

    /** The Redis user this connection is authenticated as (asked once), or null when Redis will not say. */
    private String redisUser() {
        if (!redisUserAsked) {
            try {
                redisUser = redis.sync().aclWhoami();
            } catch (RedisException e) {
                // older than Redis 6, or an ACL user without ACL WHOAMI: the audit then has the actor only
                redisUser = null;
            }
            redisUserAsked = true;
        }
        return redisUser;
    }

    /** Thrown inside the write loop for a conflict on a key whose version the caller did not pin. */
    private static final class RetryableConflict extends FlagStoreException {
        private static final long serialVersionUID = 1L;
        private final transient VersionConflictException conflict;

        RetryableConflict(VersionConflictException conflict) {
            super(conflict.getMessage());
            this.conflict = conflict;
        }
    }
}
