package io.flagstore.redis;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.StoreUnavailableException;
import io.flagstore.core.VersionConflictException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Segment;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.internal.FunctionLibrary;
import io.flagstore.redis.internal.RedisConnections;
import io.flagstore.redis.internal.RedisSupport;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>Version regression: every ordinary write throws {@link VersionRegressionException} (nothing
 * written) when live instances of the namespace's epoch report a version above Redis's, i.e. when
 * the namespace version went backwards; a write at the lower version would be ignored by them.
 *
 * <p>Corrupt keys: a flag or segment key that cannot be read (another Redis type than a hash, a
 * field that does not decode) is one bad key: {@link #get} throws {@link InvalidFlagException} for
 * it, {@link #contents()} and {@link #verify()} report it, and {@link #update}, {@link #apply} and
 * {@link #delete} overwrite or remove it; the other flags stay readable and writable.
 *
 * <p>Thread-safe: one connection shared by all callers; {@link #close()} releases it.
 */
public final class FlagAdmin implements AutoCloseable {
    /**
     * Default heartbeat interval of flag sources ({@link RedisFlagSource#DEFAULT_HEARTBEAT_INTERVAL}),
     * by which entries that do not state their own interval are judged; an instance silent for three
     * of its intervals is dead.
     */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Presence.DEFAULT_HEARTBEAT_INTERVAL;
    /** Read-modify-write operations retry this often on a concurrent write. */
    public static final int MAX_ATTEMPTS = WritePipeline.MAX_ATTEMPTS;

    private static final String TAG_PREFIX = "tag:";

    private final AdminRedis redis;
    private final StoreReader reader;
    private final AdminScripts scripts;
    private final WritePipeline pipeline;
    private final Presence presence;
    private final AuditReader audit;
    private final NamespaceReader namespace;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FlagAdmin(AdminRedis redis) {
        this.redis = redis;
        this.reader = new StoreReader(redis);
        this.scripts = new AdminScripts(redis);
        this.pipeline = new WritePipeline(redis, reader, scripts);
        this.presence = new Presence(redis, scripts);
        this.audit = new AuditReader(redis);
        this.namespace = new NamespaceReader(redis);
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
            FlagAdmin admin = new FlagAdmin(new AdminRedis(options, client, connectOnceMore(client)));
            // the sources' read functions, loaded where the user may: services then need no scripting rights
            FunctionLibrary.READS.ensureLoadedIfPermitted(
                    admin.redis.sync(), admin.redis.keys().version());
            return admin;
        } catch (RedisException e) {
            client.close();
            throw RedisSupport.translate(e, "connect", options, AdminRedis.ROLE);
        }
    }

    /**
     * Connects, trying a second time after one of Lettuce's two races that hide why a handshake
     * failed: "RedisHandshakeHandler not registered" (the server closed the connection, e.g. a
     * sentinel refusing the credentials, before the handshake began) and "Connection closed
     * prematurely" (the handshake failed, e.g. on a wrong password, and the close it causes was
     * reported instead of the reason). The second attempt reports the reason.
     */
    private static RedisConnections.Commands connectOnceMore(RedisConnections client) {
        try {
            return client.connect();
        } catch (RedisException e) {
            String why = RedisSupport.describe(e);
            if (!why.contains("HandshakeHandler not registered") && !why.contains("Connection closed prematurely")) {
                throw e;
            }
            return client.connect();
        }
    }

    /** The options this admin was connected with. */
    public RedisOptions options() {
        return redis.options();
    }

    // ---------------------------------------------------------------- reads

    /**
     * The flag stored under {@code key}, or empty.
     *
     * @throws InvalidFlagException if the stored key is not a valid flag (edited by hand, or not a
     *     hash); {@link #update} or {@link #delete} repair it
     */
    public Optional<Flag> get(String key) {
        Objects.requireNonNull(key, "key");
        return reader.flag(key);
    }

    /**
     * Every readable flag, sorted by key (an unmodifiable list). Keys that are not valid flags are
     * left out and logged; {@link #contents()} lists them.
     */
    public List<Flag> list() {
        return List.copyOf(reader.all().flags().values());
    }

    /**
     * The segment stored under {@code key}, or empty.
     *
     * @throws InvalidFlagException if the stored key is not a valid segment
     */
    public Optional<Segment> getSegment(String key) {
        Objects.requireNonNull(key, "key");
        return reader.segment(key);
    }

    /** Every readable segment, sorted by key; invalid keys are left out and logged. */
    public List<Segment> segments() {
        return List.copyOf(reader.all().segments().values());
    }

    /** Every flag and segment, with the keys that cannot be read, in one pass. */
    public NamespaceContents contents() {
        StoreReader.Snapshot all = reader.all();
        return new NamespaceContents(
                List.copyOf(all.flags().values()), List.copyOf(all.segments().values()), all.corrupt());
    }

    /**
     * Checks every stored flag and segment against what its write recorded (the version in the
     * hash equals the index's, and the fields match the checksum the write stored), and reports the
     * keys that fail: edited by hand without a write, or unreadable. A hash edited without a new
     * version may be served differently by instances that loaded it before and after the edit;
     * rewriting the flag (any write of it) makes one version of it everywhere again.
     *
     * @return the keys that fail, empty when every hash is as written
     */
    public List<CorruptKey> verify() {
        return new HashVerifier(redis, reader).verify();
    }

    /** Version, epoch, counts, Redis version and subscriber count of the namespace. */
    public NamespaceInfo info() {
        return namespace.info();
    }

    /**
     * The live service instances, sorted by service then instance: each judged by its own heartbeat
     * interval (silent for three of them: dead), closed and implausible entries left out. Entries
     * gone for long are removed from Redis ({@link #fleet()}).
     */
    public List<ServiceInstance> instances() {
        return presence.fleet().live();
    }

    /**
     * The live service instances, sorted by service then instance. Entries whose last heartbeat is
     * older than {@code deadAfter} are left out and removed from Redis (unless they heartbeat
     * meanwhile); closed, unreadable and implausible entries are left out.
     *
     * @throws IllegalArgumentException if {@code deadAfter} is not positive
     */
    public List<ServiceInstance> instances(Duration deadAfter) {
        if (deadAfter.isNegative() || deadAfter.isZero()) {
            throw new IllegalArgumentException("deadAfter must be positive, not " + deadAfter);
        }
        return presence.instances(deadAfter);
    }

    /**
     * The namespace version and epoch with every presence entry judged: live, closed, lost
     * (silent, not yet forgotten) and implausible; see {@link FleetView}. Entries of instances closed
     * more than three heartbeat intervals ago, or silent for more than ten, are removed from Redis.
     */
    public FleetView fleet() {
        return presence.fleet();
    }

    /**
     * The presence keys operators vouch for, by service name (sorted), each base64 X.509 as
     * presence entries carry it. When there is any, {@code flagctl --wait} and the console count an
     * instance's confirmation only if its entry is signed by its service's trusted key, so a holder
     * of the service role who lacks that private key cannot confirm for it (docs/operations.md,
     * "Trusted presence keys"). A value that is not a valid key trusts nothing.
     */
    public Map<String, String> trustedKeys() {
        return presence.trustedKeys();
    }

    /**
     * Vouches for {@code publicKey} as the presence key of every instance of {@code service}: the
     * public half of the file the service's sources sign with ({@link
     * RedisFlagSource.Builder#presenceKeyFile}). Replaces the service's earlier key. Needs the admin
     * role; not recorded in the audit stream.
     *
     * @param publicKey base64 X.509, as presence entries and {@code flagctl trust keygen} show it, or
     *     a PEM public key
     * @throws IllegalArgumentException when {@code service} is blank or longer than presence keeps,
     *     or {@code publicKey} is not an Ed25519 public key; nothing is written
     */
    public void trustKey(String service, String publicKey) {
        presence.trust(service, publicKey);
    }

    /** Withdraws {@code service}'s trusted presence key; whether it had one. Needs the admin role. */
    public boolean untrustKey(String service) {
        return presence.distrust(service);
    }

    /**
     * When each flag was last evaluated, by service: flag key to service name to the end of the
     * usage interval it was last seen in (docs/flag-debt.md), both sorted. Holds only flags some
     * service evaluated since usage recording began, and may name flags deleted since; unreadable
     * entries are left out and logged.
     */
    public Map<String, Map<String, Instant>> usage() {
        return namespace.usage();
    }

    /**
     * The newest audit entries that wrote {@code key} (a flag key, or {@code segment:<key>}),
     * newest first.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public List<AuditEntry> history(String key, int limit) {
        Objects.requireNonNull(key, "key");
        return audit.history(limit, key);
    }

    /**
     * The newest audit entries of the namespace, newest first.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public List<AuditEntry> history(int limit) {
        return audit.history(limit, null);
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
        return pipeline.write("create", options, () -> List.of(change));
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
        return pipeline.write("update", options, () -> List.of(change));
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

    /**
     * Turns flag {@code key} on. One script call reads the flag inside Redis and writes it with
     * {@code enabled} replaced, when the hash is as a write left it (its checksum); otherwise it is a
     * read-modify-write (see {@link #modify}). Either way the same flag is stored, audited and
     * published, and the same exceptions are thrown.
     */
    public WriteResult enable(String key, WriteOptions options) {
        return pipeline.toggle("enable", key, true, options);
    }

    /** {@link #enable(String, WriteOptions)} with default options. */
    public WriteResult enable(String key) {
        return enable(key, WriteOptions.defaults());
    }

    /**
     * Turns flag {@code key} off: it serves its off variant to everyone (the kill switch). Written as
     * {@link #enable(String, WriteOptions)} is.
     */
    public WriteResult disable(String key, WriteOptions options) {
        return pipeline.toggle("disable", key, false, options);
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
        return pipeline.write(enabled ? "enableByTag" : "disableByTag", options, () -> {
            List<Change> changes = reader.all().flags().values().stream()
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

    static UnaryOperator<Flag> rolloutOf(List<WeightedVariant> variants) {
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
        return pipeline.write("delete", options, () -> List.of(change));
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
        return pipeline.write("putSegment", options, () -> List.of(change));
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
        return pipeline.write("deleteSegment", options, () -> List.of(change));
    }

    /**
     * Every namespace of this Redis that has been written to, sorted by name, with its version and
     * counts. Found with {@code SCAN} (never {@code KEYS}), so a large Redis is not blocked.
     */
    public List<NamespaceSummary> namespaces() {
        return new Namespaces(redis).list();
    }

    /**
     * Drops this admin's namespace: deletes every flag and segment (corrupt keys included) in one
     * audited write with {@code options}' actor and reason, then removes the namespace's other keys
     * (version, meta, indexes, deletion log, presence, usage, schedules, experiment counters). The
     * audit stream stays: the namespace's history, ending with the deletion, can still be read.
     * Safe to run again when cut short. Services still running on the namespace apply the deletion
     * (their code defaults) and then report the namespace as reset.
     *
     * @throws IllegalArgumentException if {@code options} names an expected version
     */
    public NamespaceDropResult dropNamespace(WriteOptions options) {
        requireNoExpectedVersion(options, "a namespace drop");
        return new Namespaces(redis).drop(this, options);
    }

    /**
     * Writes a batch as one version, one audit entry and one message. Items with an expected
     * version are compare-and-set; the others are written over whatever is stored when the batch
     * runs, a corrupt key included.
     *
     * @throws VersionConflictException if an item's expected version does not match (nothing written)
     * @throws FlagNotFoundException if a delete names a missing key
     * @throws InvalidFlagException listing every problem of every item and of the resulting set
     * @throws IllegalArgumentException if {@code options} names an expected version (give them per item)
     */
    public WriteResult apply(Batch batch, WriteOptions options) {
        Objects.requireNonNull(batch, "batch");
        requireNoExpectedVersion(options, "a batch");
        return pipeline.write("batch", options, batch::changes);
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
        return new Reseed(pipeline).run(document, options, false);
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
        return new Reseed(pipeline).run(document, options, true);
    }

    /** Closes the connection. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            redis.close();
        }
    }

    @Override
    public String toString() {
        return "FlagAdmin[" + redis.options().redactedUri() + ", namespace="
                + redis.options().namespace() + "]";
    }

    /** Lowers the deletion-log limit so tests can trim without 10,000 deletes. */
    void deletedLogLimit(int limit) {
        pipeline.deletedLogLimit(limit);
    }

    /** The write pipeline and scripts over this admin's connection, for {@link FlagScheduler}. */
    WritePipeline pipeline() {
        return pipeline;
    }

    AdminScripts scripts() {
        return scripts;
    }

    AdminRedis redis() {
        return redis;
    }

    private WriteResult modify(String op, String key, UnaryOperator<Flag> change, WriteOptions options) {
        return pipeline.write(op, options, pipeline.modify(key, change, options.expectedVersion()));
    }

    /** The caller's expected version, else the value's own version when positive, else none. */
    private static Long expectedVersion(WriteOptions options, long ownVersion) {
        if (options.expectedVersion() != null) {
            return options.expectedVersion();
        }
        return ownVersion > 0 ? ownVersion : null;
    }

    static void requireNoExpectedVersion(WriteOptions options, String what) {
        if (options.expectedVersion() != null) {
            throw new IllegalArgumentException(
                    "expectedVersion does not apply to " + what + "; give expected versions per item");
        }
    }
}
