package io.flagstore.console;

import java.util.Objects;

/**
 * Who is calling, as established by a login, the trusted proxy or an API token. {@link #actor()} is
 * what the audit stream records: never a value the caller typed into a form.
 *
 * @param name the user name, the OIDC subject's preferred name, or the token's name
 * @param grants the roles per namespace
 * @param via how the identity was established: {@code password}, {@code oidc}, {@code proxy} or {@code token}
 */
record Identity(String name, Grants grants, String via) {
    Identity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(grants, "grants");
        Objects.requireNonNull(via, "via");
    }

    /** The audit actor: {@code token:<name>} for tokens, else the name. */
    String actor() {
        return via.equals("token") ? "token:" + name : name;
    }
}
