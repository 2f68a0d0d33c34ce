package io.flagstore.core;

/** A compare-and-set write expected a version that is no longer current; nothing was written. */
public class VersionConflictException extends FlagStoreException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final long expectedVersion;
    private final long actualVersion;

    public VersionConflictException(String key, long expectedVersion, long actualVersion) {
        super("version conflict on '" + key + "': expected version " + expectedVersion + " but it is " + actualVersion
                + "; re-read and retry");
        this.key = key;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    /** {@return the flag (or segment) key whose version did not match} */
    public String key() {
        return key;
    }

    /** {@return the version the caller expected} */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** {@return the version found (0 when the key does not exist)} */
    public long actualVersion() {
        return actualVersion;
    }
}
