package io.flagstore.redis;

import io.flagstore.core.FlagStoreException;

/**
 * {@link FlagAdmin#reseed} was refused because the namespace is not empty: it holds a version, an
 * epoch or flags. A re-seed into a namespace with data replaces all of it, which only {@link
 * FlagAdmin#forceReseed} does. Nothing was written.
 */
public class NamespaceNotEmptyException extends FlagStoreException {
    private static final long serialVersionUID = 1L;

    private final long version;
    private final long itemCount;

    /**
     * Creates the exception.
     *
     * @param namespace the namespace
     * @param version its current version
     * @param itemCount how many flags and segments it holds
     * @param origin how its epoch was created ({@code seed}, {@code write} or {@code unknown})
     */
    public NamespaceNotEmptyException(String namespace, long version, long itemCount, String origin) {
        super("namespace '" + namespace + "' is not empty (version " + version + ", " + itemCount
                + " flags and segments, epoch origin '" + origin + "'); a re-seed needs an empty namespace,"
                + " or force to replace everything in it");
        this.version = version;
        this.itemCount = itemCount;
    }

    /** {@return the namespace's current version} */
    public long version() {
        return version;
    }

    /** {@return how many flags and segments the namespace holds} */
    public long itemCount() {
        return itemCount;
    }
}
