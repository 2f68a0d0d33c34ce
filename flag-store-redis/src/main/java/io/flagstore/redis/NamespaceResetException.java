package io.flagstore.redis;

import io.flagstore.core.FlagStoreException;

/**
 * A write was refused because the namespace looks lost: Redis holds no namespace {@code meta} (no
 * epoch) while live service instances report having applied data. The write would have started a
 * new namespace holding only what it writes; restore the namespace with {@link FlagAdmin#reseed}
 * first (docs/operations.md, "Data loss and recovery"). Nothing was written.
 */
public class NamespaceResetException extends FlagStoreException {
    private static final long serialVersionUID = 1L;

    private final String namespace;
    private final long liveInstances;
    private final long heldVersion;

    /**
     * Creates the exception.
     *
     * @param namespace the namespace written to
     * @param liveInstances how many live instances hold data
     * @param heldVersion the highest version they report
     */
    public NamespaceResetException(String namespace, long liveInstances, long heldVersion) {
        super("namespace '" + namespace + "' looks reset: " + liveInstances + " live instance"
                + (liveInstances == 1 ? " holds" : "s hold") + " version " + heldVersion
                + " but Redis has no data for it; nothing was written. Restore it first with a re-seed"
                + " (flagctl apply -f BACKUP --reseed, or FlagAdmin.reseed)");
        this.namespace = namespace;
        this.liveInstances = liveInstances;
        this.heldVersion = heldVersion;
    }

    /** {@return the namespace written to} */
    public String namespace() {
        return namespace;
    }

    /** {@return how many live service instances report holding data} */
    public long liveInstances() {
        return liveInstances;
    }

    /** {@return the highest namespace version those instances report} */
    public long heldVersion() {
        return heldVersion;
    }
}
