package io.flagstore.console.view;

import java.util.List;

/**
 * What every page shows around its content: the namespace, who is logged in, the CSRF token for
 * forms, and banners about the namespace's state.
 *
 * @param title the page title
 * @param ns the current namespace, or null (login and error pages)
 * @param namespaces the namespaces the user may see
 * @param user the user's name, or null when not logged in
 * @param role the user's role in {@code ns}, or null
 * @param csrf the session's CSRF token for forms, or the login form's
 * @param banners warnings shown on top (read-only, stale, namespace reset)
 * @param active the navigation entry to highlight: flags, fleet, history
 */
public record Chrome(
        String title,
        String ns,
        List<String> namespaces,
        String user,
        String role,
        String csrf,
        List<String> banners,
        String active) {
    public Chrome {
        namespaces = List.copyOf(namespaces);
        banners = List.copyOf(banners);
    }
}
