package io.flagstore.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.flagstore.console.view.Chrome;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the page and API handlers share: the precompiled templates, the caller's identity and
 * session (set by {@link Security}), and the page chrome.
 */
final class Web {
    static final String IDENTITY = "flagstore.identity";
    static final String SESSION = "flagstore.session";

    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final Operations operations;

    Web(Operations operations) {
        this.operations = operations;
    }

    Operations operations() {
        return operations;
    }

    String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        templates.render(template, params, out);
        return out.toString();
    }

    void page(Context ctx, String template, Map<String, Object> params) {
        ctx.header("Cache-Control", "no-store");
        ctx.html(render(template, params));
    }

    static Identity identity(Context ctx) {
        Identity who = ctx.attribute(IDENTITY);
        if (who == null) {
            throw new ApiError(ApiError.Code.UNAUTHENTICATED, "not signed in", "sign in first");
        }
        return who;
    }

    static String csrf(Context ctx) {
        Sessions.Session session = ctx.attribute(SESSION);
        return session == null ? "" : session.csrfToken;
    }

    /** The chrome of a page in namespace {@code ns} (null for none). */
    Chrome chrome(Context ctx, String title, String ns, String active) {
        Identity who = ctx.attribute(IDENTITY);
        List<String> visible = new ArrayList<>();
        List<String> banners = new ArrayList<>();
        String role = null;
        if (who != null) {
            operations.all().keySet().stream()
                    .filter(n -> who.grants().in(n).isPresent())
                    .forEach(visible::add);
            if (ns != null) {
                role = who.grants().in(ns).map(Role::label).orElse(null);
                NamespaceView view = operations.all().get(ns);
                if (view != null) {
                    if (view.readOnly()) {
                        banners.add("Read-only: this console cannot write to namespace " + ns
                                + " (its Redis user has only the service role, or --read-only is set).");
                    }
                    switch (view.state()) {
                        case STALE -> banners.add("Redis is unreachable: what you see may be out of date.");
                        case NAMESPACE_RESET -> banners.add(
                                "Namespace reset: Redis lost this namespace's data; services keep their last flags."
                                        + " Re-seed it (docs/operations.md, \"Data loss and recovery\").");
                        case INITIALIZING -> banners.add("Loading flags from Redis…");
                        default -> {}
                    }
                }
            }
        }
        return new Chrome(title, ns, visible, who == null ? null : who.name(), role, csrf(ctx), banners, active);
    }
}
