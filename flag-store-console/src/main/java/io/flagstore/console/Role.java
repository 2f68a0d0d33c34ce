package io.flagstore.console;

import java.util.Locale;

/**
 * What a person or token may do in a namespace; each role includes the ones before it. Operators
 * act during incidents (switches, rollouts, targets); admins change what flags are.
 */
enum Role {
    /** Reads flags, history, the fleet. */
    VIEWER,
    /** Also turns flags on and off (one or by tag), changes rollouts and targets. */
    OPERATOR,
    /** Also creates, edits and deletes flags and segments. */
    ADMIN;

    boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /** The lower-case name used in files, claims and headers. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code viewer}, {@code operator} or {@code admin}.
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    static Role parse(String text) {
        for (Role role : values()) {
            if (role.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "' (viewer, operator or admin)");
    }
}
