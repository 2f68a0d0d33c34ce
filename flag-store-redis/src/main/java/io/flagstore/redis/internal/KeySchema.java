package io.flagstore.redis.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Redis key names of one namespace (docs/redis-layout.md). Every key carries the hash tag
 * {@code {ns}} so a namespace sits in one cluster slot and one script may touch all its keys.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeySchema {
    /** The namespace used when none is configured. */
    public static final String DEFAULT_NAMESPACE = "default";
    /** Namespace syntax: lower-case letters, digits, {@code . _ -}, 1 to 64 characters. */
    public static final Pattern NAMESPACE_PATTERN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** The layout version written to {@code meta.schemaVersion}. */
    public static final int SCHEMA_VERSION = 1;
    /** The deletion log keeps this many newest entries. */
    public static final int DELETED_LOG_LIMIT = 10_000;
    /** Approximate maximum length of the audit stream ({@code XADD MAXLEN ~}). */
    public static final int AUDIT_MAX_LENGTH = 100_000;
    /** Prefix of a segment's member in the {@code deleted} zset (flags use their bare key). */
    public static final String DELETED_SEGMENT_PREFIX = "segment:";
    /** Between the prerequisite and the dependent flag key in a member of the {@code dependents} zset. */
    public static final char DEPENDENT_SEPARATOR = '|';
    /**
     * The member of the {@code dependents} zset present once the index covers every flag; it sorts
     * apart from every {@code <key>|<dependent>} member because no key starts with {@code !}.
     */
    public static final String DEPENDENTS_COMPLETE = "!complete";
    /** Between the flag key and the service name in a field of the {@code usage} hash. */
    public static final char USAGE_SEPARATOR = '|';

    /** {@code meta} field: random id written when the namespace is first written. */
    public static final String META_EPOCH = "epoch";
    /**
     * {@code meta} field: how the epoch was created, {@link #ORIGIN_SEED} or {@link #ORIGIN_WRITE}
     * (absent in namespaces created before it was recorded: treated as a write).
     */
    public static final String META_ORIGIN = "origin";
    /** {@link #META_ORIGIN}: a deliberate re-seed or restore ({@code FlagAdmin.reseed}). */
    public static final String ORIGIN_SEED = "seed";
    /** {@link #META_ORIGIN}: the first ordinary write into an empty namespace. */
    public static final String ORIGIN_WRITE = "write";
    /** {@code meta} field: the layout version. */
    public static final String META_SCHEMA_VERSION = "schemaVersion";
    /** {@code meta} field: when the namespace was first written (ISO-8601). */
    public static final String META_CREATED_AT = "createdAt";
    /** {@code meta} field: highest version trimmed from the deletion log (absent: nothing trimmed). */
    public static final String META_DELETED_TRIMMED_TO = "deletedTrimmedTo";

    /** {@code audit} stream entry fields. */
    public static final String AUDIT_VERSION = "version";

    public static final String AUDIT_OP = "op";
    public static final String AUDIT_KEYS = "keys";
    public static final String AUDIT_ACTOR = "actor";
    public static final String AUDIT_REASON = "reason";
    public static final String AUDIT_TS = "ts";
    public static final String AUDIT_BEFORE = "before";
    public static final String AUDIT_AFTER = "after";
    /** Segment trees before the write; present only when the write touched segments. */
    public static final String AUDIT_BEFORE_SEGMENTS = "beforeSegments";
    /** Segment trees after the write; present only when the write touched segments. */
    public static final String AUDIT_AFTER_SEGMENTS = "afterSegments";
    /** The Redis user the write was authenticated as; absent in entries written before it was recorded. */
    public static final String AUDIT_REDIS_USER = "redisUser";

    private static final String ROOT = "flagstore:";

    private final String namespace;
    private final String prefix;

    private KeySchema(String namespace) {
        this.namespace = namespace;
        this.prefix = ROOT + "{" + namespace + "}:";
    }

    /**
     * The schema of a namespace.
     *
     * @throws NullPointerException if {@code namespace} is null
     * @throws IllegalArgumentException if it does not match {@link #NAMESPACE_PATTERN}
     */
    public static KeySchema of(String namespace) {
        return new KeySchema(validateNamespace(namespace));
    }

    /**
     * Returns {@code namespace} if valid.
     *
     * @throws NullPointerException if {@code namespace} is null
     * @throws IllegalArgumentException naming the value if it does not match {@link #NAMESPACE_PATTERN}
     */
    public static String validateNamespace(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        if (!NAMESPACE_PATTERN.matcher(namespace).matches()) {
            throw new IllegalArgumentException("invalid namespace '" + namespace
                    + "': use 1 to 64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
        return namespace;
    }

    /** The namespace name. */
    public String namespace() {
        return namespace;
    }

    /** {@code flagstore:{ns}:}, the prefix of every key of the namespace. */
    public String prefix() {
        return prefix;
    }

    /** Hash holding one flag. */
    public String flag(String key) {
        return prefix + "flag:" + requireKey(key);
    }

    /** Hash holding one segment. */
    public String segment(String key) {
        return prefix + "segment:" + requireKey(key);
    }

    /** Sorted set: flag key to the version of its last write. */
    public String flags() {
        return prefix + "flags";
    }

    /** Sorted set: segment key to the version of its last write. */
    public String segments() {
        return prefix + "segments";
    }

    /** Sorted set: deleted flag key (or {@code segment:<key>}) to the version of the delete. */
    public String deleted() {
        return prefix + "deleted";
    }

    /**
     * Sorted set, every score 0: {@code <prerequisite>|<dependent>} for each prerequisite of each
     * flag, so the flags a change can break are found without reading the namespace; kept by the
     * write script.
     */
    public String dependents() {
        return prefix + "dependents";
    }

    /** String: the namespace version, incremented once per write. */
    public String version() {
        return prefix + "version";
    }

    /** Hash: epoch, origin, schemaVersion, createdAt, deletedTrimmedTo. */
    public String meta() {
        return prefix + "meta";
    }

    /** Stream: one entry per write. */
    public String audit() {
        return prefix + "audit";
    }

    /** Pub/sub channel: one JSON message per write. */
    public String changes() {
        return prefix + "changes";
    }

    /** Hash: instance id to the presence JSON of a running source. */
    public String clients() {
        return prefix + "clients";
    }

    /**
     * Hash: service name to the presence public key an operator vouches for (base64 X.509); written
     * by the admin role only.
     */
    public String trustedKeys() {
        return prefix + "trusted-keys";
    }

    /**
     * Hash: {@code <flag>|<service>} to the epoch ms the service last evaluated the flag, written by
     * sources (docs/flag-debt.md); flag keys never contain {@code |}.
     */
    public String usage() {
        return prefix + "usage";
    }

    /** The field of the {@code usage} hash for flag {@code key} evaluated by {@code service}. */
    public static String usageField(String key, String service) {
        return requireKey(key) + USAGE_SEPARATOR + service;
    }

    /** Sorted set: pending scheduled change id to its due time (epoch ms). */
    public String scheduled() {
        return prefix + "scheduled";
    }

    /** Hash: one scheduled change (docs/scheduling.md). */
    public String schedule(String id) {
        return prefix + "schedule:" + requireKey(id);
    }

    /** The member of the {@code deleted} zset recording the delete of segment {@code key}. */
    public static String deletedSegmentMember(String key) {
        return DELETED_SEGMENT_PREFIX + requireKey(key);
    }

    private static String requireKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a flag or segment key must not be empty");
        }
        return key;
    }

    @Override
    public String toString() {
        return "KeySchema[" + prefix + "]";
    }
}
