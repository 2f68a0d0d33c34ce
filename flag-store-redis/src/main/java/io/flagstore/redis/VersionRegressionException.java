package io.flagstore.redis;

import io.flagstore.core.FlagStoreException;

/**
 * A write was refused because the namespace version went backwards: live service instances of the
 * namespace's epoch report having applied a version above the one Redis holds (Redis was restored
 * from an older backup, failed over to a replica that was behind, or its version key was changed).
 * A write at the lower version would be ignored by those instances, so nothing was written.
 *
 * <p>Recover by making Redis's content the truth again under a new epoch, above every version the
 * services hold: export what Redis holds and re-seed it with {@code --force} (docs/operations.md,
 * "Version went backwards").
 */
public class VersionRegressionException extends FlagStoreException {
    private static final long serialVersionUID = 1L;

    private final String namespace;
    private final long namespaceVersion;
    private final long heldVersion;
    private final long instances;

    /**
     * Creates the exception.
     *
     * @param namespace the namespace written to
     * @param namespaceVersion the version Redis holds
     * @param heldVersion the highest version live instances report
     * @param instances how many live instances report a version above Redis's
     */
    public VersionRegressionException(String namespace, long namespaceVersion, long heldVersion, long instances) {
        super("namespace '" + namespace + "' went backwards: Redis holds version " + namespaceVersion + " but "
                + instances + " live instance" + (instances == 1 ? " reports" : "s report") + " version "
                + heldVersion + "; a write now would be ignored by them, so nothing was written");
        this.namespace = namespace;
        this.namespaceVersion = namespaceVersion;
        this.heldVersion = heldVersion;
        this.instances = instances;
    }

    /** {@return the namespace written to} */
    public String namespace() {
        return namespace;
    }

    /** {@return the version Redis holds} */
    public long namespaceVersion() {
        return namespaceVersion;
    }

    /** {@return the highest version live instances of the namespace's epoch report} */
    public long heldVersion() {
        return heldVersion;
    }

    /** {@return how many live instances report a version above Redis's} */
    public long instances() {
        return instances;
    }
}
