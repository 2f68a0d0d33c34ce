package io.flagstore.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.FlagStoreException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.VersionConflictException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.FlagValidator;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Segment;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.internal.ChangeMessage;
import io.flagstore.redis.internal.FlagHashCodec;
import io.flagstore.redis.internal.FunctionLibrary;
import io.flagstore.redis.internal.Json;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.internal.LuaScript;
import io.flagstore.redis.internal.PresenceJson;
import io.flagstore.redis.internal.RedisConnections;
import io.flagstore.redis.internal.RedisSupport;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Reads and writes the flags of one Redis namespace. Every write is one server-side script:
 * compare-and-set on each key's version, the hashes, the namespace version, the indexes, the
 * deletion log, an audit entry (actor, reason, before and after) and one change message, all or
 * nothing (docs/redis-layout.md, "Writes"). Input is validated first: an invalid flag throws
 * {@link InvalidFlagException} and nothing is written.
 *
 * <pre>{@code
 * try (FlagAdmin admin = FlagAdmin.connect(RedisOptions.of("redis://127.0.0.1:6379"))) {
 *     admin.create(Flag.killSwitch("payments-api"), WriteOptions.defaults());
 *     WriteResult r = admin.disable("payments-api", WriteOptions.defaults().withReason("INC-42"));
 *     System.out.println("version " + r.version() + " pushed to " + r.receivers() + " subscribers");
 * }
 * }</pre>
 *
 * <p>Compare-and-set: {@link #update} and the delete methods expect the version the caller names
 * ({@link WriteOptions#expectedVersion()}, or the flag's own {@link Flag#version()}); a mismatch
 * throws {@link VersionConflictException} and writes nothing. The read-modify-write operations
 * ({@link #enable}, {@link #disable}, {@link #setRollout}, {@link #setTargets}, {@link
 * #setEnabledByTag}, {@link #modify}) read the flag, change it and write it expecting the version
 * they read; when another admin wrote in between they re-read and retry up to {@value
 * #MAX_ATTEMPTS} times, unless the caller gave an expected version, which is then checked as-is.
 *
 * <p>Errors: Redis failures throw {@link StoreUnavailableException} (the Lettuce error as cause,
 * no credentials in the message), ACL refusals {@link AccessDeniedException}, missing keys {@link
 * FlagNotFoundException}. Arguments are non-null unless documented otherwise.
 *
 * <p>Data loss: every write except {@link #reseed}/{@link #forceReseed} throws {@link
 * NamespaceResetException} (nothing written) when the namespace has no {@code meta} while live
 * service instances report holding data, i.e. when Redis lost the namespace; restore it with a
 * re-seed (docs/operations.md, "Data loss and recovery").
 *
 * <p>Thread-safe: one connection shared by all callers; {@link #close()} releases it.
 */
public final class FlagAdmin implements AutoCloseable {
    /** Default heartbeat interval of flag sources; an instance silent for three intervals is dead. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    /** Read-modify-write operations retry this often on a concurrent write. */
    public static final int MAX_ATTEMPTS = 5;

    private static final System.Logger LOG = System.getLogger(FlagAdmin.class.getName());
    private static final String ROLE = "admin";
    private static final String TAG_PREFIX = "tag:";
    private static final String CONFLICT = "FLAGSTORE_CONFLICT";
    private static final String RESET = "FLAGSTORE_RESET";
    private static final String NOT_EMPTY = "FLAGSTORE_NOT_EMPTY";
    private static final String CLAIMED = "FLAGSTORE_CLAIMED";

    /** How the write script treats the namespace (write.lua, ARGV 15). */
    private enum Mode {
        /** An ordinary write; refused into a namespace without meta while live instances hold data. */
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

    private static final int HISTORY_PAGE = 200;

    private final RedisOptions options;
    private final KeySchema keys;
    private final RedisConnections client;
    private final RedisConnections.Commands connection;
    private final RedisClusterCommands<String, String> redis;
    private final RedisClusterAsyncCommands<String, String> async;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile int deletedLogLimit = KeySchema.DELETED_LOG_LIMIT;

    private FlagAdmin(RedisOptions options, RedisConnections client, RedisConnections.Commands connection) {
        this.options = options;
        this.keys = KeySchema.of(options.namespace());
        this.client = client;
        this.connection = connection;
        this.redis = connection.sync();
        this.async = connection.async();
    }

    /**
     * Connects to Redis. Commands fail fast while the connection is down (no queueing).
     *
     * @throws StoreUnavailableException if Redis cannot be reached or refuses the credentials
     */
    public static FlagAdmin connect(RedisOptions options) {
        Objects.requireNonNull(options, "options");
        RedisConnections client = RedisConnections.create(
                options, null, b -> b.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS));
        try {
            FlagAdmin admin = new FlagAdmin(options, client, connectOnceMore(client));
            // the sources' read functions, loaded where the user may: services then need no scripting rights
            FunctionLibrary.READS.ensureLoadedIfPermitted(admin.redis, admin.keys.version());
            return admin;
        } catch (RedisException e) {
            client.close();
            throw RedisSupport.translate(e, "connect", options, ROLE);
        }
    }

    /**
     * Connects, trying a second time after Lettuce's "RedisHandshakeHandler not registered": a race in
     * which the server closed the connection (e.g. a sentinel refusing the credentials) before the
     * handshake began, hiding why; the second attempt reports the reason.
     */
    private static RedisConnections.Commands connectOnceMore(RedisConnections client) {
        try {
            return client.connect();
        } catch (RedisException e) {
            if (!RedisSupport.describe(e).contains("HandshakeHandler not registered")) {
                throw e;
            }
            return client.connect();
        }
    }

    /** The options this admin was connected with. */
    public RedisOptions options() {
        return options;
    }

    // ---------------------------------------------------------------- reads

    /**
     * The flag stored under {@code key}, or empty.
     *
     * @throws InvalidFlagException if the stored hash is not a valid flag (edited by hand)
     */
    public Optional<Flag> get(String key) {
        Map<String, String> fields = call("HGETALL", () -> redis.hgetall(keys.flag(key)));
        return fields.isEmpty() ? Optional.empty() : Optional.of(decodeFlag(key, fields));
    }

    /**
     * Every flag, sorted by key (an unmodifiable list). Hashes that are not valid flags are left out and logged (read one
     * with {@link #get} to see its problems).
     */
    public List<Flag> list() {
        return List.copyOf(readAll().flags.values());
    }

    /**
     * The segment stored under {@code key}, or empty.
     *
     * @throws InvalidFlagException if the stored hash is not a valid segment
     */
    public Optional<Segment> getSegment(String key) {
        Map<String, String> fields = call("HGETALL", () -> redis.hgetall(keys.segment(key)));
        return fields.isEmpty() ? Optional.empty() : Optional.of(decodeSegment(key, fields));
    }

    /** Every segment, sorted by key; invalid hashes are left out and logged. */
    public List<Segment> segments() {
        return List.copyOf(readAll().segments.values());
    }

    /** Version, epoch, counts, Redis version and subscriber count of the namespace. */
    public NamespaceInfo info() {
        RedisFuture<String> version = async.get(keys.version());
        RedisFuture<Map<String, String>> meta = async.hgetall(keys.meta());
        RedisFuture<Long> flagCount = async.zcard(keys.flags());
        RedisFuture<Long> segmentCount = async.zcard(keys.segments());
        RedisFuture<String> server = async.info("server");
        RedisFuture<Map<String, Long>> subscribers = connection.subscribers(keys.changes());
        Map<String, String> m = await("HGETALL", meta);
        String redisVersion = serverVersion(server);
        String createdAt = m.get(KeySchema.META_CREATED_AT);
        return new NamespaceInfo(
                keys.namespace(),
                parseLong(await("GET", version)),
                m.get(KeySchema.META_EPOCH),
                createdAt == null ? null : Instant.parse(createdAt),
                await("ZCARD", flagCount),
                await("ZCARD", segmentCount),
                parseLong(m.get(KeySchema.META_DELETED_TRIMMED_TO)),
                redisVersion,
                await("PUBSUB", subscribers).getOrDefault(keys.changes(), 0L),
                m.get(KeySchema.META_ORIGIN));
    }

    /** {@code redis_version} from INFO; "unknown" for a user without INFO (the service role). */
    private String serverVersion(RedisFuture<String> info) {
        try {
            return await("INFO", info)
                    .lines()
                    .filter(line -> line.startsWith("redis_version:"))
                    .map(line -> line.substring("redis_version:".length()).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (AccessDeniedException e) {
            return "unknown";
        }
    }

    /**
     * The live service instances, sorted by service then instance; instances silent for three
     * {@link #DEFAULT_HEARTBEAT_INTERVAL default heartbeat intervals} are removed from Redis.
     */
    public List<ServiceInstance> instances() {
        return instances(DEFAULT_HEARTBEAT_INTERVAL.multipliedBy(3));
    }

    /**
     * The live service instances, sorted by service then instance. Entries whose last heartbeat is
     * older than {@code deadAfter} are left out and removed from Redis (unless they heartbeat
     * meanwhile); unreadable entries are left out and logged.
     *
     * @throws IllegalArgumentException if {@code deadAfter} is not positive
     */
    public List<ServiceInstance> instances(Duration deadAfter) {
        if (deadAfter.isNegative() || deadAfter.isZero()) {
            throw new IllegalArgumentException("deadAfter must be positive, not " + deadAfter);
        }
        Map<String, String> entries = call("HGETALL", () -> redis.hgetall(keys.clients()));
        Instant cutoff = Instant.now().minus(deadAfter);
        List<ServiceInstance> live = new ArrayList<>();
        List<String> dead = new ArrayList<>();
        entries.forEach((field, json) -> {
            ServiceInstance instance = PresenceJson.read(json);
            if (instance == null) {
                LOG.log(System.Logger.Level.WARNING, "ignoring unreadable presence entry {0}: {1}", field, json);
            } else if (instance.heartbeat().isBefore(cutoff)) {
                dead.add(field);
                dead.add(json);
            } else {
                live.add(instance);
            }
        });
        if (!dead.isEmpty()) {
            try {
                call(
                        "EVALSHA prune-clients",
                        () -> LuaScript.PRUNE_CLIENTS.<Long>run(
                                redis,
                                ScriptOutputType.INTEGER,
                                new String[] {keys.clients()},
                                dead.toArray(String[]::new)));
            } catch (AccessDeniedException e) {
                // pruning is housekeeping: a user without scripts (the service role) still gets the live list
                LOG.log(System.Logger.Level.DEBUG, "not pruning dead presence entries: {0}", e.getMessage());
            }
        }
        live.sort(Comparator.comparing(ServiceInstance::service).thenComparing(ServiceInstance::instance));
        return live;
    }

    /**
     * When each flag was last evaluated, by service: flag key to service name to the end of the
     * usage interval it was last seen in (docs/flag-debt.md), both sorted. Holds only flags some
     * service evaluated since usage recording began, and may name flags deleted since; unreadable
     * entries are left out and logged.
     */
    public Map<String, Map<String, Instant>> usage() {
        Map<String, String> entries = call("HGETALL", () -> redis.hgetall(keys.usage()));
        Map<String, Map<String, Instant>> usage = new TreeMap<>();
        entries.forEach((field, millis) -> {
            int separator = field.indexOf(KeySchema.USAGE_SEPARATOR);
            if (separator > 0 && millis.matches("[0-9]{1,18}")) {
                usage.computeIfAbsent(field.substring(0, separator), k -> new TreeMap<>())
                        .put(field.substring(separator + 1), Instant.ofEpochMilli(Long.parseLong(millis)));
            } else {
                LOG.log(System.Logger.Level.WARNING, "ignoring unreadable usage entry {0}: {1}", field, millis);
            }
        });
        return usage;
    }

    /**
     * The newest audit entries that wrote {@code key} (a flag key, or {@code segment:<key>}),
     * newest first.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public List<AuditEntry> history(String key, int limit) {
        Objects.requireNonNull(key, "key");
        return history(limit, key);
    }

    /**
     * The newest audit entries of the namespace, newest first.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public List<AuditEntry> history(int limit) {
        return history(limit, null);
    }

    // ---------------------------------------------------------------- writes

    /** {@link #create(Flag, WriteOptions)} with default options. */
    public WriteResult create(Flag flag) {
        return create(flag, WriteOptions.defaults());
    }

    /**
     * Creates a flag that must not exist yet.
     *
     * @throws VersionConflictException (expected version 0) if the key exists
     * @throws InvalidFlagException if the flag is invalid or references missing flags or segments
     * @throws IllegalArgumentException if {@code options} expects a version other than 0
     */
    public WriteResult create(Flag flag, WriteOptions options) {
        Objects.requireNonNull(flag, "flag");
        Long expected = options.expectedVersion();
        if (expected != null && expected != 0) {
            throw new IllegalArgumentException(
                    "create expects the flag not to exist (version 0), not version " + expected + "; use update");
        }
        Change change = Change.putFlag(flag, 0L, true);
        return write("create", options, () -> List.of(change));
    }

    /** {@link #update(Flag, WriteOptions)} with default options. */
    public WriteResult update(Flag flag) {
        return update(flag, WriteOptions.defaults());
    }

    /**
     * Replaces an existing flag. Compare-and-set against {@code options.expectedVersion()}, else
     * against {@code flag.version()} when it is positive; a flag with version 0 (built from
     * scratch, e.g. read from a file) replaces whatever is stored.
     *
     * @throws FlagNotFoundException if the flag does not exist
     * @throws VersionConflictException if the stored version is not the expected one
     * @throws InvalidFlagException if the flag is invalid or the resulting set would be
     */
    public WriteResult update(Flag flag, WriteOptions options) {
        Objects.requireNonNull(flag, "flag");
        Long expected = expectedVersion(options, flag.version());
        Change change = Change.putFlag(flag, expected, expected != null).requiringExisting();
        return write("update", options, () -> List.of(change));
    }

    /**
     * Reads flag {@code key}, applies {@code change} and writes the result, expecting the version
     * read (or {@code options.expectedVersion()}); re-reads and retries on a concurrent write unless
     * an expected version was given. {@code change} may run several times and must not have side
     * effects.
     *
     * @throws FlagNotFoundException if the flag does not exist
     * @throws VersionConflictException if still conflicting after {@value #MAX_ATTEMPTS} attempts, or
     *     at once when an expected version was given
     * @throws IllegalArgumentException if {@code change} returns a flag with another key
     */
    public WriteResult modify(String key, UnaryOperator<Flag> change, WriteOptions options) {
        return modify("update", key, change, options);
    }

    /** Turns flag {@code key} on (read-modify-write, see {@link #modify}). */
    public WriteResult enable(String key, WriteOptions options) {
        return modify("enable", key, f -> f.withEnabled(true), options);
    }

    /** {@link #enable(String, WriteOptions)} with default options. */
    public WriteResult enable(String key) {
        return enable(key, WriteOptions.defaults());
    }

    /** Turns flag {@code key} off: it serves its off variant to everyone (the kill switch). */
    public WriteResult disable(String key, WriteOptions options) {
        return modify("disable", key, f -> f.withEnabled(false), options);
    }

    /** {@link #disable(String, WriteOptions)} with default options. */
    public WriteResult disable(String key) {
        return disable(key, WriteOptions.defaults());
    }

    /**
     * Turns every flag tagged {@code tag} on or off in one write (one version, one message).
     *
     * @throws FlagNotFoundException (key {@code tag:<tag>}) if no flag has the tag
     * @throws IllegalArgumentException if {@code options} names an expected version
     */
    public WriteResult setEnabledByTag(String tag, boolean enabled, WriteOptions options) {
        Objects.requireNonNull(tag, "tag");
        requireNoExpectedVersion(options, "setEnabledByTag");
        return write(enabled ? "enableByTag" : "disableByTag", options, () -> {
            List<Change> changes = readAll().flags.values().stream()
                    .filter(f -> f.tags().contains(tag))
                    .map(f -> Change.putFlag(f.withEnabled(enabled), f.version(), false))
                    .toList();
            if (changes.isEmpty()) {
                throw new FlagNotFoundException(TAG_PREFIX + tag);
            }
            return changes;
        });
    }

    /**
     * Makes the fallthrough of flag {@code key} a rollout over {@code variants} (keeping the
     * rollout's bucketing attribute if it had one).
     *
     * @throws InvalidFlagException if the weights do not sum to 100 or name unknown variants
     */
    public WriteResult setRollout(String key, List<WeightedVariant> variants, WriteOptions options) {
        return modify("setRollout", key, rolloutOf(variants), options);
    }

    private static UnaryOperator<Flag> rolloutOf(List<WeightedVariant> variants) {
        List<WeightedVariant> copy = List.copyOf(variants);
        return f -> {
            Rollout old = f.fallthrough().rollout();
            Rollout rollout = new Rollout(copy, old == null ? null : old.bucketBy());
            return f.toBuilder().fallthrough(Serve.rollout(rollout)).build();
        };
    }

    /**
     * Sets the context keys that always get {@code variant} of flag {@code key}, replacing the
     * previous list; an empty list removes the variant's targets.
     *
     * @throws InvalidFlagException if {@code variant} is not a variant of the flag
     */
    public WriteResult setTargets(String key, String variant, List<String> contextKeys, WriteOptions options) {
        Objects.requireNonNull(variant, "variant");
        List<String> copy = List.copyOf(contextKeys);
        return modify(
                "setTargets", key, f -> f.toBuilder().target(variant, copy).build(), options);
    }

    /**
     * Deletes flag {@code key}, expecting {@code options.expectedVersion()} if given. The delete is
     * recorded in the deletion log so clients that missed the message still remove the flag.
     *
     * @throws FlagNotFoundException if the flag does not exist
     * @throws InvalidFlagException if other flags still name it as a prerequisite
     */
    public WriteResult delete(String key, WriteOptions options) {
        Objects.requireNonNull(key, "key");
        Long expected = options.expectedVersion();
        Change change = Change.deleteFlag(key, expected, expected != null);
        return write("delete", options, () -> List.of(change));
    }

    /** {@link #delete(String, WriteOptions)} with default options. */
    public WriteResult delete(String key) {
        return delete(key, WriteOptions.defaults());
    }

    /**
     * Creates or replaces a segment; compare-and-set as for {@link #update} ({@code
     * options.expectedVersion()}, else {@code segment.version()} when positive).
     *
     * @throws VersionConflictException if the stored version is not the expected one
     * @throws InvalidFlagException if the segment is invalid
     */
    public WriteResult putSegment(Segment segment, WriteOptions options) {
        Objects.requireNonNull(segment, "segment");
        Long expected = expectedVersion(options, segment.version());
        Change change = Change.putSegment(segment, expected, expected != null);
        return write("putSegment", options, () -> List.of(change));
    }

    /**
     * Deletes segment {@code key}.
     *
     * @throws FlagNotFoundException (key {@code segment:<key>}) if it does not exist
     * @throws InvalidFlagException if flags still reference it
     */
    public WriteResult deleteSegment(String key, WriteOptions options) {
        Objects.requireNonNull(key, "key");
        Long expected = options.expectedVersion();
        Change change = Change.deleteSegment(key, expected, expected != null);
        return write("deleteSegment", options, () -> List.of(change));
    }

    /**
     * Writes a batch as one version, one audit entry and one message. Items with an expected
     * version are compare-and-set; the others are written over whatever is stored when the batch
     * runs.
     *
     * @throws VersionConflictException if an item's expected version does not match (nothing written)
     * @throws FlagNotFoundException if a delete names a missing key
     * @throws InvalidFlagException listing every problem of every item and of the resulting set
     * @throws IllegalArgumentException if {@code options} names an expected version (give them per item)
     */
    public WriteResult apply(Batch batch, WriteOptions options) {
        Objects.requireNonNull(batch, "batch");
        requireNoExpectedVersion(options, "a batch");
        return write("batch", options, batch::changes);
    }

    /**
     * Re-seeds an empty namespace with {@code document} in one write: the document's flags and
     * segments (their versions ignored) become the namespace, under a new epoch recorded as {@code
     * meta.origin = seed}, at a version above every version a live service instance reports. Unlike
     * an ordinary write into an emptied namespace, a seed is what services that still hold the lost
     * data reload from (docs/operations.md, "Data loss and recovery"). Audited as op {@code reseed}.
     *
     * <pre>{@code
     * FlagDocument backup = FlagJson.readDocument(Files.readString(Path.of("flags-backup.json")));
     * admin.reseed(backup, WriteOptions.defaults().withReason("INC-7: Redis lost its data"));
     * }</pre>
     *
     * @throws NamespaceNotEmptyException if the namespace holds a version, an epoch or any flag or
     *     segment (nothing written; see {@link #forceReseed})
     * @throws InvalidFlagException if an item is invalid or the document's set is inconsistent
     * @throws IllegalArgumentException if the document is empty or {@code options} names an expected version
     */
    public WriteResult reseed(FlagDocument document, WriteOptions options) {
        return reseed(document, options, Mode.SEED);
    }

    /**
     * {@link #reseed} into a namespace whose contents, whatever they are, are replaced: every flag
     * and segment not in {@code document} is removed, and the deletion log restarts. Use it when the
     * namespace was written into after a data loss (services then stay {@code NAMESPACE_RESET} until
     * a seed), or to make a namespace exactly a document. The audit entry's {@code before} holds
     * what was replaced.
     *
     * @throws InvalidFlagException if an item is invalid or the document's set is inconsistent
     * @throws IllegalArgumentException if the document is empty or {@code options} names an expected version
     */
    public WriteResult forceReseed(FlagDocument document, WriteOptions options) {
        return reseed(document, options, Mode.FORCE_SEED);
    }

    /** Closes the connection. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connection.close();
        client.close();
    }

    @Override
    public String toString() {
        return "FlagAdmin[" + options.redactedUri() + ", namespace=" + options.namespace() + "]";
    }

    /** Lowers the deletion-log limit so tests can trim without 10,000 deletes. */
    void deletedLogLimit(int limit) {
        this.deletedLogLimit = limit;
    }

    // ---------------------------------------------------------------- write pipeline

    private WriteResult reseed(FlagDocument document, WriteOptions options, Mode mode) {
        Objects.requireNonNull(document, "document");
        requireNoExpectedVersion(options, "a re-seed");
        if (document.flags().isEmpty() && document.segments().isEmpty()) {
            throw new IllegalArgumentException("a re-seed needs at least one flag or segment");
        }
        List<String> problems = FlagValidator.problemsInSet(
                byKey(document.flags(), Flag::key), byKey(document.segments(), Segment::key));
        if (!problems.isEmpty()) {
            throw new InvalidFlagException(problems);
        }
        Batch.Builder batch = Batch.builder();
        document.flags().forEach(batch::put);
        document.segments().forEach(batch::putSegment);
        List<Change> changes = batch.build().changes();
        return write("reseed", options, mode, () -> changes);
    }

    private static <T> Map<String, T> byKey(List<T> items, Function<T, String> key) {
        Map<String, T> out = new LinkedHashMap<>();
        items.forEach(item -> out.put(key.apply(item), item));
        return out;
    }

    private WriteResult modify(String op, String key, UnaryOperator<Flag> change, WriteOptions options) {
        return write(op, options, modifyPlanner(key, change, options.expectedVersion()));
    }

    private Supplier<List<Change>> modifyPlanner(String key, UnaryOperator<Flag> change, Long expected) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(change, "change");
        return () -> {
            Flag current = get(key).orElseThrow(() -> new FlagNotFoundException(key));
            if (expected != null && current.version() != expected) {
                throw new VersionConflictException(key, expected, current.version());
            }
            Flag changed = Objects.requireNonNull(change.apply(current), "change returned null");
            if (!changed.key().equals(key)) {
                throw new IllegalArgumentException("change turned flag '" + key + "' into '" + changed.key() + "'");
            }
            return List.of(Change.putFlag(changed, current.version(), expected != null));
        };
    }

    // ---------------------------------------------------------------- scheduled changes (FlagScheduler)

    /** Schedule bookkeeping shared with {@link FlagScheduler}. */
    KeySchema keys() {
        return keys;
    }

    RedisClusterCommands<String, String> commands() {
        return redis;
    }

    /** Runs a Redis command, translating Lettuce errors like every other admin call. */
    <T> T redisCall(String command, Supplier<T> action) {
        return call(command, action);
    }

    /** Plans {@code change} against the flags as they are now. */
    private Supplier<List<Change>> plan(ScheduledChange change) {
        return switch (change.kind()) {
            case ENABLE -> modifyPlanner(change.key(), f -> f.withEnabled(true), null);
            case DISABLE -> modifyPlanner(change.key(), f -> f.withEnabled(false), null);
            case ROLLOUT -> modifyPlanner(change.key(), rolloutOf(change.weights()), null);
            case BATCH -> {
                Batch.Builder batch = Batch.builder();
                change.puts().forEach(batch::put);
                change.deletes().forEach(batch::delete);
                List<Change> changes = batch.build().changes();
                yield () -> changes;
            }
        };
    }

    /**
     * Checks that {@code change} would be written if it ran now (the flags exist, the result is
     * valid), writing nothing.
     */
    void check(ScheduledChange change, WriteOptions options) {
        prepare(plan(change).get(), options.actor(), Mode.WRITE);
    }

    /**
     * Writes {@code change} as one ordinary write that also claims schedule {@code id}: it happens
     * only if the id is still pending, and settles it as applied.
     *
     * @throws ClaimLostException if the id was no longer pending (nothing written)
     */
    WriteResult writeScheduled(ScheduledChange change, WriteOptions options, String id, long keepSeconds) {
        return write(change.kind().op(), options, Mode.WRITE, plan(change), new Claim(id, keepSeconds));
    }

    /** The schedule id a scheduled write claims, and how long its settled hash is kept. */
    private record Claim(String id, long keepSeconds) {}

    /** A scheduled write found its id already claimed, cancelled or failed by someone else. */
    static final class ClaimLostException extends FlagStoreException {
        private static final long serialVersionUID = 1L;

        ClaimLostException(String id) {
            super("scheduled change " + id + " is no longer pending");
        }
    }

    /** Plans and executes a write, re-planning after a conflict on a key the caller did not pin. */
    private WriteResult write(String op, WriteOptions options, Supplier<List<Change>> planner) {
        return write(op, options, Mode.WRITE, planner);
    }

    private WriteResult write(String op, WriteOptions options, Mode mode, Supplier<List<Change>> planner) {
        return write(op, options, mode, planner, null);
    }

    private WriteResult write(String op, WriteOptions options, Mode mode, Supplier<List<Change>> planner, Claim claim) {
        Objects.requireNonNull(options, "options");
        for (int attempt = 1; ; attempt++) {
            try {
                return execute(op, planner.get(), options, mode, claim);
            } catch (RetryableConflict e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw e.conflict;
                }
                // randomised backoff so competing admins do not collide again in lockstep
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(100_000L, 1_000_000L * attempt));
            }
        }
    }

    /** The changes as they will be stored, validated, with what is stored now. */
    private record Prepared(List<Change> changes, List<Stored> current) {}

    private Prepared prepare(List<Change> planned, String actor, Mode mode) {
        List<Stored> current = readCurrent(planned);
        for (int i = 0; i < planned.size(); i++) {
            if (planned.get(i).mustExist() && !current.get(i).exists) {
                throw new FlagNotFoundException(planned.get(i).displayKey());
            }
        }
        List<Change> changes = stamp(planned, current, actor);
        validateItems(changes);
        if (mode == Mode.WRITE) {
            validateSet(changes, current); // a seed's set is the document alone, checked by reseed
        }
        return new Prepared(changes, current);
    }

    private WriteResult execute(String op, List<Change> planned, WriteOptions options, Mode mode, Claim claim) {
        String actor = options.actor();
        Prepared prepared = prepare(planned, actor, mode);
        List<Change> changes = prepared.changes;
        List<Stored> current = prepared.current;

        ArrayNode before = JsonNodeFactory.instance.arrayNode();
        ArrayNode after = JsonNodeFactory.instance.arrayNode();
        ArrayNode segmentsBefore = JsonNodeFactory.instance.arrayNode();
        ArrayNode segmentsAfter = JsonNodeFactory.instance.arrayNode();
        List<ObjectNode> flagTrees = new ArrayList<>();
        List<ObjectNode> segmentTrees = new ArrayList<>();
        List<String> deletedFlags = new ArrayList<>();
        List<String> deletedSegments = new ArrayList<>();
        List<String> hashKeys = new ArrayList<>(List.of(
                keys.version(),
                keys.meta(),
                keys.flags(),
                keys.segments(),
                keys.deleted(),
                keys.audit(),
                keys.clients()));
        List<String> items = new ArrayList<>();
        boolean touchesSegments = false;
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            Stored stored = current.get(i);
            ObjectNode tree = null;
            if (c.segment()) {
                touchesSegments = true;
                if (stored.segment != null) {
                    segmentsBefore.add(FlagJson.segmentToTree(stored.segment));
                }
                if (c.isDelete()) {
                    deletedSegments.add(c.key());
                } else {
                    tree = unversioned(FlagJson.segmentToTree(c.newSegment()));
                    segmentsAfter.add(tree);
                    segmentTrees.add(tree);
                }
                hashKeys.add(keys.segment(c.key()));
            } else {
                if (stored.flag != null) {
                    before.add(FlagJson.toTree(stored.flag));
                }
                if (c.isDelete()) {
                    deletedFlags.add(c.key());
                } else {
                    tree = unversioned(FlagJson.toTree(c.flag()));
                    after.add(tree);
                    flagTrees.add(tree);
                }
                hashKeys.add(keys.flag(c.key()));
            }
            // script expectations: -1 must not exist, -2 any, else exact
            long expected = c.expected() != null
                    ? (c.expected() == 0 ? -1 : c.expected())
                    : !stored.exists ? -1 : stored.version == 0 ? -2 : stored.version;
            Map<String, String> fields = tree == null ? Map.of() : FlagHashCodec.fields(tree);
            items.add(c.segment() ? "segment" : "flag");
            items.add(c.isDelete() ? "del" : "put");
            items.add(c.key());
            items.add(Long.toString(expected));
            items.add(Integer.toString(fields.size()));
            fields.forEach((name, value) -> {
                items.add(name);
                items.add(value);
            });
        }
        if (mode == Mode.FORCE_SEED) {
            // the audit keeps what the seed replaces, not only the keys it writes
            Snapshot replaced = readAll();
            Set<String> written = new HashSet<>();
            changes.forEach(c -> written.add(c.displayKey()));
            replaced.flags.values().stream()
                    .filter(f -> !written.contains(f.key()))
                    .forEach(f -> before.add(FlagJson.toTree(f)));
            replaced.segments.values().stream()
                    .filter(seg -> !written.contains(KeySchema.deletedSegmentMember(seg.key())))
                    .forEach(seg -> segmentsBefore.add(FlagJson.segmentToTree(seg)));
            touchesSegments |= !segmentsBefore.isEmpty();
        }
        List<String> args = new ArrayList<>(List.of(
                UUID.randomUUID().toString(),
                Integer.toString(KeySchema.SCHEMA_VERSION),
                op,
                actor,
                options.reason() == null ? "" : options.reason(),
                String.join(",", changes.stream().map(Change::displayKey).toList()),
                before.toString(),
                after.toString(),
                touchesSegments ? segmentsBefore.toString() : "",
                touchesSegments ? segmentsAfter.toString() : "",
                ChangeMessage.body(op, actor, flagTrees, deletedFlags, segmentTrees, deletedSegments),
                keys.changes(),
                Integer.toString(deletedLogLimit),
                Integer.toString(KeySchema.AUDIT_MAX_LENGTH),
                mode.arg,
                Long.toString(DEFAULT_HEARTBEAT_INTERVAL.multipliedBy(3).toMillis()),
                keys.prefix(),
                Integer.toString(changes.size()),
                client.publishCommand()));
        args.addAll(items);
        if (claim != null) {
            hashKeys.add(keys.scheduled());
            hashKeys.add(keys.schedule(claim.id));
            args.add(claim.id);
            args.add(Long.toString(claim.keepSeconds));
        }
        List<Object> reply = runWrite(changes, hashKeys.toArray(String[]::new), args.toArray(String[]::new));
        awaitReplicas((Long) reply.get(0));
        return new WriteResult(
                (Long) reply.get(0),
                (Long) reply.get(1),
                changes.stream().map(Change::displayKey).toList(),
                Instant.ofEpochMilli((Long) reply.get(2)));
    }

    /**
     * Waits until {@link RedisOptions#replicaAcks()} replicas hold the write just made: {@code WAIT}
     * on the connection that ran it covers every write it sent so far (concurrent callers' included).
     * The one place writes are confirmed, for every write path.
     *
     * @throws ReplicationException if fewer replicas confirm in time, or the wait fails
     */
    private void awaitReplicas(long version) {
        int required = options.replicaAcks();
        if (required == 0) {
            return;
        }
        Duration timeout = options.replicaAckTimeout();
        long acknowledged;
        try {
            // WAIT 0 would block forever: never round a short timeout down to it (the options keep it below
            // the command timeout, so Lettuce does not expire the command first)
            // in a cluster, on the connection to the slot's master that ran the script (a keyless WAIT would go
            // to an arbitrary node)
            acknowledged = await(
                    "WAIT",
                    call("WAIT", () -> connection.masterOf(keys.version()))
                            .waitForReplication(required, Math.max(1, timeout.toMillis())));
        } catch (StoreUnavailableException e) {
            throw new ReplicationException(options.redactedUri(), version, 0, required, timeout, e);
        }
        if (acknowledged < required) {
            throw new ReplicationException(options.redactedUri(), version, (int) acknowledged, required, timeout, null);
        }
    }

    private List<Object> runWrite(List<Change> changes, String[] scriptKeys, String[] args) {
        try {
            return LuaScript.WRITE.run(redis, ScriptOutputType.MULTI, scriptKeys, args);
        } catch (RedisCommandExecutionException e) {
            String message = String.valueOf(e.getMessage());
            String[] words = message.split(" ");
            if (message.startsWith(RESET)) {
                // FLAGSTORE_RESET <live instances> <highest version they hold>
                throw new NamespaceResetException(keys.namespace(), Long.parseLong(words[1]), Long.parseLong(words[2]));
            }
            if (message.startsWith(NOT_EMPTY)) {
                // FLAGSTORE_NOT_EMPTY <version> <flags and segments> <origin>
                throw new NamespaceNotEmptyException(
                        keys.namespace(), Long.parseLong(words[1]), Long.parseLong(words[2]), words[3]);
            }
            if (message.startsWith(CLAIMED)) {
                throw new ClaimLostException(words[1]);
            }
            if (!message.startsWith(CONFLICT)) {
                throw RedisSupport.translate(e, "EVALSHA write", options, ROLE);
            }
            // FLAGSTORE_CONFLICT <kind> <key> <expected> <actual>
            boolean segment = words[1].equals("segment");
            long expected = Math.max(0, Long.parseLong(words[3]));
            Change change = changes.stream()
                    .filter(c -> c.segment() == segment && c.key().equals(words[2]))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("conflict on an unknown item: " + message));
            VersionConflictException conflict =
                    new VersionConflictException(change.displayKey(), expected, Long.parseLong(words[4]));
            throw change.explicit() ? conflict : new RetryableConflict(conflict);
        } catch (RedisException e) {
            throw RedisSupport.translate(e, "EVALSHA write", options, ROLE);
        }
    }

    /**
     * The changes as they will be stored: flags keep their creation time (the stored one, else the
     * given one, else now) and carry the actor as updatedBy; version and updatedAt are the script's.
     * Validation runs on this form, so nothing is stored that a reader would refuse.
     */
    private static List<Change> stamp(List<Change> changes, List<Stored> current, String actor) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Change> out = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            Flag old = current.get(i).flag;
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

    /**
     * Refuses a write that breaks references between flags and segments (a prerequisite on a missing
     * flag or variant, a cycle, an unknown segment). Problems the stored set already had are not
     * the writer's fault and do not block it. Skipped when no reference can change.
     */
    private void validateSet(List<Change> changes, List<Stored> current) {
        boolean needed = false;
        for (int i = 0; i < changes.size() && !needed; i++) {
            Change c = changes.get(i);
            Flag old = current.get(i).flag;
            needed = c.isDelete()
                    || c.segment()
                    || (old == null
                            ? !c.flag().prerequisites().isEmpty()
                                    || !c.flag().rules().isEmpty()
                            : !old.variants()
                                            .keySet()
                                            .equals(c.flag().variants().keySet())
                                    || !old.prerequisites().equals(c.flag().prerequisites())
                                    || !old.rules().equals(c.flag().rules()));
        }
        if (!needed) {
            return;
        }
        Snapshot all = readAll();
        Map<String, Flag> flags = new LinkedHashMap<>(all.flags);
        Map<String, Segment> segments = new LinkedHashMap<>(all.segments);
        for (Change c : changes) {
            if (c.segment()) {
                if (c.isDelete()) {
                    segments.remove(c.key());
                } else {
                    segments.put(c.key(), c.newSegment());
                }
            } else if (c.isDelete()) {
                flags.remove(c.key());
            } else {
                flags.put(c.key(), c.flag());
            }
        }
        Set<String> existing = new HashSet<>(FlagValidator.problemsInSet(all.flags, all.segments));
        List<String> introduced = FlagValidator.problemsInSet(flags, segments).stream()
                .filter(p -> !existing.contains(p))
                .toList();
        if (!introduced.isEmpty()) {
            throw new InvalidFlagException(introduced);
        }
    }

    /** The caller's expected version, else the value's own version when positive, else none. */
    private static Long expectedVersion(WriteOptions options, long ownVersion) {
        if (options.expectedVersion() != null) {
            return options.expectedVersion();
        }
        return ownVersion > 0 ? ownVersion : null;
    }

    private static void requireNoExpectedVersion(WriteOptions options, String what) {
        if (options.expectedVersion() != null) {
            throw new IllegalArgumentException(
                    "expectedVersion does not apply to " + what + "; give expected versions per item");
        }
    }

    // ---------------------------------------------------------------- read helpers

    /** A key's stored state: version from the index, decoded value (null if absent or corrupt). */
    private record Stored(boolean exists, long version, Flag flag, Segment segment) {}

    /** Every valid flag and segment, sorted by key. */
    private record Snapshot(Map<String, Flag> flags, Map<String, Segment> segments) {}

    private List<Stored> readCurrent(List<Change> changes) {
        List<RedisFuture<Map<String, String>>> hashes = new ArrayList<>();
        List<RedisFuture<Double>> scores = new ArrayList<>();
        for (Change c : changes) {
            hashes.add(async.hgetall(c.segment() ? keys.segment(c.key()) : keys.flag(c.key())));
            scores.add(async.zscore(c.segment() ? keys.segments() : keys.flags(), c.key()));
        }
        List<Stored> out = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            Map<String, String> fields = await("HGETALL", hashes.get(i));
            Double score = await("ZSCORE", scores.get(i));
            long version = score == null ? 0 : score.longValue();
            if (fields.isEmpty()) {
                out.add(new Stored(score != null, version, null, null));
                continue;
            }
            Flag flag = null;
            Segment segment = null;
            try {
                if (c.segment()) {
                    segment = decodeSegment(c.key(), fields);
                } else {
                    flag = decodeFlag(c.key(), fields);
                }
            } catch (InvalidFlagException e) {
                // an invalid stored value may be overwritten or deleted; its audit "before" is left out
                LOG.log(System.Logger.Level.WARNING, "replacing an invalid stored value: {0}", e.getMessage());
            }
            out.add(new Stored(true, version, flag, segment));
        }
        return out;
    }

    private Snapshot readAll() {
        List<String> flagKeys = call("ZRANGE", () -> redis.zrange(keys.flags(), 0, -1));
        List<String> segmentKeys = call("ZRANGE", () -> redis.zrange(keys.segments(), 0, -1));
        Map<String, RedisFuture<Map<String, String>>> flagHashes = new TreeMap<>();
        flagKeys.forEach(k -> flagHashes.put(k, async.hgetall(keys.flag(k))));
        Map<String, RedisFuture<Map<String, String>>> segmentHashes = new TreeMap<>();
        segmentKeys.forEach(k -> segmentHashes.put(k, async.hgetall(keys.segment(k))));
        Map<String, Flag> flags = new LinkedHashMap<>();
        flagHashes.forEach((k, f) -> decodeLogged(k, await("HGETALL", f), this::decodeFlag, flags));
        Map<String, Segment> segments = new LinkedHashMap<>();
        segmentHashes.forEach((k, f) -> decodeLogged(k, await("HGETALL", f), this::decodeSegment, segments));
        return new Snapshot(flags, segments);
    }

    private interface Decoder<T> {
        T decode(String key, Map<String, String> fields);
    }

    private static <T> void decodeLogged(
            String key, Map<String, String> fields, Decoder<T> decoder, Map<String, T> out) {
        if (fields.isEmpty()) {
            return; // deleted between the index read and the hash read
        }
        try {
            out.put(key, decoder.decode(key, fields));
        } catch (InvalidFlagException e) {
            LOG.log(System.Logger.Level.WARNING, "skipping {0}", e.getMessage());
        }
    }

    private Flag decodeFlag(String key, Map<String, String> fields) {
        try {
            return FlagHashCodec.fromFields(fields);
        } catch (InvalidFlagException e) {
            throw stored("flag", keys.flag(key), e);
        }
    }

    private Segment decodeSegment(String key, Map<String, String> fields) {
        try {
            return FlagHashCodec.segmentFromFields(fields);
        } catch (InvalidFlagException e) {
            throw stored("segment", keys.segment(key), e);
        }
    }

    private static InvalidFlagException stored(String what, String redisKey, InvalidFlagException e) {
        return new InvalidFlagException(e.problems().stream()
                .map(p -> "stored " + what + " " + redisKey + ": " + p)
                .toList());
    }

    private List<AuditEntry> history(int limit, String key) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
        List<AuditEntry> out = new ArrayList<>();
        String end = "+";
        while (out.size() < limit) {
            String upper = end;
            List<StreamMessage<String, String>> page = call(
                    "XREVRANGE",
                    () -> redis.xrevrange(keys.audit(), Range.create("-", upper), Limit.from(HISTORY_PAGE)));
            for (StreamMessage<String, String> message : page) {
                List<String> entryKeys = Arrays.asList(
                        message.getBody().getOrDefault(KeySchema.AUDIT_KEYS, "").split(","));
                if (out.size() < limit && (key == null || entryKeys.contains(key))) {
                    out.add(auditEntry(message.getId(), entryKeys, message.getBody()));
                }
            }
            if (page.size() < HISTORY_PAGE) {
                break;
            }
            end = previousId(page.get(page.size() - 1).getId());
        }
        return out;
    }

    /** The stream id just below {@code id} ({@code XREVRANGE} bounds are inclusive). */
    private static String previousId(String id) {
        int dash = id.indexOf('-');
        long ms = Long.parseLong(id.substring(0, dash));
        long seq = Long.parseUnsignedLong(id.substring(dash + 1));
        return seq > 0 ? ms + "-" + (seq - 1) : (ms - 1) + "-" + Long.toUnsignedString(-1L);
    }

    private static AuditEntry auditEntry(String id, List<String> entryKeys, Map<String, String> body) {
        long version = parseLong(body.get(KeySchema.AUDIT_VERSION));
        Instant ts = Instant.ofEpochMilli(parseLong(body.get(KeySchema.AUDIT_TS)));
        String reason = body.get(KeySchema.AUDIT_REASON);
        return new AuditEntry(
                id,
                version,
                body.get(KeySchema.AUDIT_OP),
                entryKeys,
                body.get(KeySchema.AUDIT_ACTOR),
                reason == null || reason.isEmpty() ? null : reason,
                ts,
                auditTrees(body.get(KeySchema.AUDIT_BEFORE), FlagJson::fromTree),
                auditTrees(body.get(KeySchema.AUDIT_AFTER), FlagJson::fromTree).stream()
                        .map(f -> f.toBuilder().version(version).updatedAt(ts).build())
                        .toList(),
                auditTrees(body.get(KeySchema.AUDIT_BEFORE_SEGMENTS), FlagJson::segmentFromTree),
                auditTrees(body.get(KeySchema.AUDIT_AFTER_SEGMENTS), FlagJson::segmentFromTree).stream()
                        .map(s -> s.withVersion(version, ts))
                        .toList());
    }

    private static <T> List<T> auditTrees(String json, Function<JsonNode, T> reader) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>();
        try {
            for (JsonNode tree : Json.MAPPER.readTree(json)) {
                out.add(reader.apply(tree));
            }
        } catch (JsonProcessingException | InvalidFlagException e) {
            LOG.log(System.Logger.Level.WARNING, "unreadable audit entry part: {0}", e.getMessage());
        }
        return out;
    }

    private static long parseLong(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    private <T> T call(String command, Supplier<T> action) {
        try {
            return action.get();
        } catch (RedisException e) {
            throw RedisSupport.translate(e, command, options, ROLE);
        }
    }

    private <T> T await(String command, RedisFuture<T> future) {
        try {
            return future.get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new RedisException(e.getCause());
            throw cause instanceof RedisException r ? RedisSupport.translate(r, command, options, ROLE) : cause;
        } catch (TimeoutException e) {
            throw RedisSupport.translate(new RedisCommandTimeoutException("timed out"), command, options, ROLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for " + command, e);
        }
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
