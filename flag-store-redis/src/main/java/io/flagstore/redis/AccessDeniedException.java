package io.flagstore.redis;

import io.flagstore.core.StoreUnavailableException;

/**
 * Redis refused a command because of the connection's ACL user ({@code NOPERM}) or its credentials;
 * the message names the command and the role it needs (docs/operations.md, "Access control", lists the ACLs).
 * Retrying does not help: the user, its password or its ACL must change.
 */
public class AccessDeniedException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;

    /** The role the refused command needs, or null when Redis refused the credentials themselves. */
    private final String requiredRole;

    /** Creates the exception for refused credentials; {@code cause} is the driver's error. */
    public AccessDeniedException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /**
     * Creates the exception for a command the user may not run.
     *
     * @param requiredRole the role that may run it ({@code "admin"}, {@code "service"}), or null for refused credentials
     */
    public AccessDeniedException(String message, String requiredRole, Throwable cause) {
        super(message, cause);
        this.requiredRole = requiredRole;
    }

    /** {@return the role the refused command needs (e.g. {@code "admin"}), or null when the credentials were refused} */
    public String requiredRole() {
        return requiredRole;
    }
}
