package io.flagstore.console;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The role held in each namespace, written {@code role@namespace} separated by commas, with {@code *}
 * for every namespace: {@code operator@prod,admin@staging} or {@code viewer@*}. The same syntax is
 * used in the users file, the tokens file, the OIDC role claim and the proxy roles header. A
 * namespace named explicitly wins over {@code *}.
 *
 * @param roles namespace (or {@code *}) to role
 */
record Grants(Map<String, Role> roles) {
    static final String ANY = "*";

    Grants {
        roles = Map.copyOf(roles);
    }

    static Grants none() {
        return new Grants(Map.of());
    }

    /**
     * Parses a comma-separated list; blank means none.
     *
     * @throws IllegalArgumentException naming the entry that is not {@code role@namespace}
     */
    static Grants parse(String text) {
        Objects.requireNonNull(text, "text");
        Map<String, Role> roles = new LinkedHashMap<>();
        for (String part : text.split("[,\\s]+")) {
            if (part.isBlank()) {
                continue;
            }
            int at = part.indexOf('@');
            if (at <= 0 || at == part.length() - 1) {
                throw new IllegalArgumentException(
                        "grant '" + part + "' is not role@namespace (e.g. operator@prod, viewer@*)");
            }
            roles.merge(part.substring(at + 1), Role.parse(part.substring(0, at)), (a, b) -> a.includes(b) ? a : b);
        }
        return new Grants(roles);
    }

    /** The role in {@code namespace}, or empty when none is granted. */
    Optional<Role> in(String namespace) {
        Role role = roles.get(namespace);
        return Optional.ofNullable(role != null ? role : roles.get(ANY));
    }

    boolean allows(String namespace, Role needed) {
        return in(namespace).map(r -> r.includes(needed)).orElse(false);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        roles.forEach((ns, role) -> text.append(text.length() == 0 ? "" : ",")
                .append(role.label())
                .append('@')
                .append(ns));
        return text.toString();
    }
}
