package io.flagstore.redis;

import io.flagstore.core.StoreUnavailableException;

/**
 * Redis refused a command because of the connection's ACL user ({@code NOPERM}) or its credentials;
 * the message names the command and the role it needs (docs/redis-layout.md, "Access control", lists the ACLs).
 */
public class AccessDeniedException extends StoreUnavailableException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception; {@code cause} is the driver's error. */
    public AccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
