package io.flagstore.redis;

/**
 * Who writes, why, and (optionally) the version the caller expects the flag to have, for
 * compare-and-set.
 *
 * <pre>{@code
 * admin.disable("payments-api", WriteOptions.defaults().withReason("INC-42"));
 * admin.update(edited, WriteOptions.defaults().withExpectedVersion(41));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param actor recorded in the audit stream and as the flag's {@code updatedBy}; never null
 *     (defaults to the OS user, {@code user.name})
 * @param reason free text recorded in the audit stream, or {@code null}
 * @param expectedVersion the version the flag must have for the write to happen ({@code 0}: it must
 *     not exist), or {@code null} to let the operation decide (see each {@link FlagAdmin} method)
 */
public record WriteOptions(String actor, String reason, Long expectedVersion) {
    /** Actor used when none is given: the OS user, or {@code "unknown"}. */
    public static final String DEFAULT_ACTOR = System.getProperty("user.name", "unknown");

    private static final WriteOptions DEFAULTS = new WriteOptions(DEFAULT_ACTOR, null, null);

    /**
     * Validates the options.
     *
     * @throws IllegalArgumentException if {@code actor} is blank or {@code expectedVersion} negative
     */
    public WriteOptions {
        if (actor == null) {
            actor = DEFAULT_ACTOR;
        }
        if (actor.isBlank()) {
            throw new IllegalArgumentException("actor must not be blank");
        }
        if (expectedVersion != null && expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion must be >= 0, not " + expectedVersion);
        }
    }

    /** {@return the default actor, no reason, no expected version} */
    public static WriteOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a copy with the given actor} */
    public WriteOptions withActor(String newActor) {
        return new WriteOptions(newActor, reason, expectedVersion);
    }

    /** {@return a copy with the given reason (nullable)} */
    public WriteOptions withReason(String newReason) {
        return new WriteOptions(actor, newReason, expectedVersion);
    }

    /** {@return a copy expecting the given version (0: the key must not exist)} */
    public WriteOptions withExpectedVersion(long version) {
        return new WriteOptions(actor, reason, version);
    }
}
