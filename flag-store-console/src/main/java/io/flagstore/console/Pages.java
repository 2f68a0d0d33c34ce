package io.flagstore.console;

import io.flagstore.console.view.ConfirmView;
import io.flagstore.console.view.DeliveryView;
import io.flagstore.console.view.FlagListView;
import io.flagstore.console.view.FlagRow;
import io.flagstore.console.view.FlagView;
import io.flagstore.console.view.TagView;
import io.flagstore.console.view.Urls;
import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.ScheduleEntry;
import io.flagstore.redis.WriteResult;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The HTML pages: thin handlers that parse the request, call {@link Operations} (shared with the
 * API) and render a template. Every write goes through a confirmation page that shows what will
 * change, then redirects to the page showing its live delivery.
 */
final class Pages {
    static final int HISTORY_LIMIT = 20;

    /**
     * How long a write from a page waits for every instance to apply it before showing the flag page:
     * usually they all have by then, so the first render already shows the delivery complete; the
     * page's live updates cover the rest.
     */
    static final java.time.Duration SHOW_DELIVERED_WITHIN = java.time.Duration.ofMillis(250);

    private final Web web;
    private final Operations ops;

    Pages(Web web) {
        this.web = web;
        this.ops = web.operations();
    }

    void routes(RoutesConfig r) {
        r.get("/", this::home);
        r.get("/ns", ctx -> ctx.redirect("/ns/" + Urls.enc(String.valueOf(ctx.queryParam("ns"))) + "/flags"));
        r.get("/ns/{ns}/flags", this::flags);
        r.get("/ns/{ns}/flags/{key}", this::flag);
        r.post("/ns/{ns}/flags/{key}/enabled", this::setEnabled);
        r.post("/ns/{ns}/flags/{key}/rollout", this::setRollout);
        r.post("/ns/{ns}/flags/{key}/targets", this::setTargets);
        r.get("/ns/{ns}/tags/{tag}", this::tag);
        r.post("/ns/{ns}/tags/{tag}/enabled", this::setTagEnabled);
        r.get("/ns/{ns}/fleet", this::fleet);
        r.get("/ns/{ns}/history", this::history);
        r.sse("/ns/{ns}/flags/{key}/delivery/events", this::deliveryEvents);
        r.sse("/ns/{ns}/fleet/events", this::fleetEvents);
    }

    private void home(Context ctx) {
        Identity who = Web.identity(ctx);
        String first = ops.all().keySet().stream()
                .filter(ns -> who.grants().in(ns).isPresent())
                .findFirst()
                .orElseThrow(() -> new ApiError(
                        ApiError.Code.DENIED, who.name() + " has no role in any namespace", "ask an admin for a role"));
        ctx.redirect("/ns/" + Urls.enc(first) + "/flags");
    }

    private void flags(Context ctx) {
        String ns = ctx.pathParam("ns");
        NamespaceView view = ops.readable(Web.identity(ctx), ns);
        FlagQuery query = query(ctx);
        List<Flag> all = List.copyOf(view.flags().values());
        List<Flag> matching = query.filter(all);
        int pages = FlagQuery.pages(matching.size(), query.size());
        TreeSet<String> tags = new TreeSet<>();
        TreeSet<String> owners = new TreeSet<>();
        for (Flag f : all) {
            tags.addAll(f.tags());
            if (f.owner() != null) {
                owners.add(f.owner());
            }
        }
        FlagListView list = new FlagListView(
                query.page(matching).stream().map(Views::row).toList(),
                matching.size(),
                query.page(),
                pages,
                query.q(),
                query.tag(),
                query.owner(),
                query.state(),
                query.type(),
                List.copyOf(tags),
                List.copyOf(owners),
                query.page() > 1 ? pageUrl(ns, query, query.page() - 1) : null,
                query.page() < pages ? pageUrl(ns, query, query.page() + 1) : null);
        web.page(ctx, "flags.jte", Map.of("chrome", web.chrome(ctx, "Flags", ns, "flags"), "view", list));
    }

    static FlagQuery query(Context ctx) {
        return new FlagQuery(
                ctx.queryParam("q"),
                ctx.queryParam("tag"),
                ctx.queryParam("owner"),
                ctx.queryParam("state"),
                ctx.queryParam("type"),
                intParam(ctx, "page", 1),
                intParam(ctx, "size", FlagQuery.DEFAULT_SIZE));
    }

    private static String pageUrl(String ns, FlagQuery q, int page) {
        return "/ns/" + Urls.enc(ns) + "/flags?q=" + Urls.enc(q.q()) + "&tag=" + Urls.enc(q.tag()) + "&owner="
                + Urls.enc(q.owner()) + "&state=" + q.state() + "&type=" + q.type() + "&page=" + page;
    }

    private void flag(Context ctx) {
        String ns = ctx.pathParam("ns");
        String key = ctx.pathParam("key");
        Identity who = Web.identity(ctx);
        NamespaceView view = ops.readable(who, ns);
        Flag flag = current(view, key, longParam(ctx, "v"));
        DeliveryView delivery = Views.delivery(ns, key, flag.version(), flag.updatedAt(), view.fleet.fleet());
        Map<String, String> targets = new LinkedHashMap<>();
        flag.targets().forEach((variant, keys) -> targets.put(variant, String.join("\n", keys)));
        List<String> schedules = view.scheduler.scheduled().stream()
                .filter(e -> e.state() == ScheduleEntry.State.PENDING
                        && e.change().keys().contains(key))
                .map(e ->
                        Views.when(e.change().due()) + ": " + e.change().kind().op() + " (by " + e.actor()
                                + (e.reason() == null ? "" : ", \"" + e.reason() + "\"") + ")")
                .toList();
        FlagView page = new FlagView(
                Views.row(flag),
                io.flagstore.core.model.FlagJson.toTree(flag).toPrettyString(),
                List.copyOf(flag.variants().keySet()),
                Views.weights(flag),
                targets,
                delivery,
                view.admin.history(key, HISTORY_LIMIT).stream()
                        .map(Views::history)
                        .toList(),
                schedules,
                ops.mayWrite(who, ns, Role.OPERATOR));
        web.page(ctx, "flag.jte", Map.of("chrome", web.chrome(ctx, key, ns, "flags"), "view", page));
    }

    /**
     * The flag as of at least {@code atLeast}: the in-memory copy when it is that new, else read from
     * Redis (right after a write, before the change has come back on the channel).
     */
    private static Flag current(NamespaceView view, String key, Long atLeast) {
        Flag held = view.flags().get(key);
        if (held != null && (atLeast == null || held.version() >= atLeast)) {
            return held;
        }
        return view.admin.get(key).orElseThrow(() -> new FlagNotFoundException(key));
    }

    private void setEnabled(Context ctx) {
        String ns = ctx.pathParam("ns");
        String key = ctx.pathParam("key");
        Identity who = Web.identity(ctx);
        boolean enabled = Boolean.parseBoolean(ctx.formParam("enabled"));
        String reason = requireReason(ctx);
        Long version = longParam(ctx, "version");
        if (!confirmed(ctx)) {
            NamespaceView view = ops.readable(who, ns);
            Flag flag = current(view, key, null);
            Flag after = flag.withEnabled(enabled);
            confirm(
                    ctx,
                    ns,
                    (enabled ? "Turn ON " : "Turn OFF ") + key + " in " + ns + "?",
                    List.of(
                            "enabled: " + flag.enabled() + " → " + enabled,
                            "serving: " + Views.serving(flag) + " → " + Views.serving(after),
                            "to every service instance of " + ns + " ("
                                    + view.fleet.fleet().instances().size() + " running)",
                            "reason: " + reason),
                    !enabled,
                    flagUrl(ns, key));
            return;
        }
        showDelivery(ctx, who, ns, key, ops.setEnabled(who, ns, key, enabled, reason, version));
    }

    private void setRollout(Context ctx) {
        String ns = ctx.pathParam("ns");
        String key = ctx.pathParam("key");
        Identity who = Web.identity(ctx);
        String reason = requireReason(ctx);
        List<WeightedVariant> weights = new ArrayList<>();
        ctx.formParamMap().forEach((name, values) -> {
            if (name.startsWith("weight.")
                    && !values.isEmpty()
                    && !values.get(0).isBlank()) {
                try {
                    weights.add(new WeightedVariant(
                            name.substring(7), Double.parseDouble(values.get(0).strip())));
                } catch (IllegalArgumentException e) {
                    throw new ApiError(
                            ApiError.Code.USAGE, "weight of " + name.substring(7) + " is not a number", null);
                }
            }
        });
        if (!confirmed(ctx)) {
            Flag flag = current(ops.readable(who, ns), key, null);
            confirm(
                    ctx,
                    ns,
                    "Change the rollout of " + key + " in " + ns + "?",
                    List.of(
                            "rollout: " + Views.weights(flag) + " → "
                                    + weights.stream()
                                            .map(w -> w.variant() + " " + Views.percent(w.weight()) + "%")
                                            .collect(Collectors.joining(" / ")),
                            "reason: " + reason),
                    false,
                    flagUrl(ns, key));
            return;
        }
        showDelivery(ctx, who, ns, key, ops.setRollout(who, ns, key, weights, reason, longParam(ctx, "version")));
    }

    private void setTargets(Context ctx) {
        String ns = ctx.pathParam("ns");
        String key = ctx.pathParam("key");
        Identity who = Web.identity(ctx);
        String reason = requireReason(ctx);
        String variant = String.valueOf(ctx.formParam("variant"));
        List<String> keys = Arrays.stream(String.valueOf(ctx.formParam("keys")).split("[\\s,]+"))
                .filter(k -> !k.isBlank())
                .distinct()
                .toList();
        if (!confirmed(ctx)) {
            Flag flag = current(ops.readable(who, ns), key, null);
            confirm(
                    ctx,
                    ns,
                    "Change the targets of " + key + " in " + ns + "?",
                    List.of(
                            "always " + variant + ": " + flag.targets().getOrDefault(variant, List.of()) + " → " + keys,
                            "reason: " + reason),
                    false,
                    flagUrl(ns, key));
            return;
        }
        showDelivery(ctx, who, ns, key, ops.setTargets(who, ns, key, variant, keys, reason, longParam(ctx, "version")));
    }

    private void tag(Context ctx) {
        String ns = ctx.pathParam("ns");
        String tag = ctx.pathParam("tag");
        Identity who = Web.identity(ctx);
        NamespaceView view = ops.readable(who, ns);
        List<FlagRow> rows = view.flags().values().stream()
                .filter(f -> f.tags().contains(tag))
                .map(Views::row)
                .toList();
        int on = (int) rows.stream().filter(FlagRow::enabled).count();
        web.page(
                ctx,
                "tag.jte",
                Map.of(
                        "chrome",
                        web.chrome(ctx, "Tag " + tag, ns, "flags"),
                        "view",
                        new TagView(tag, rows, on, ops.mayWrite(who, ns, Role.OPERATOR))));
    }

    private void setTagEnabled(Context ctx) {
        String ns = ctx.pathParam("ns");
        String tag = ctx.pathParam("tag");
        Identity who = Web.identity(ctx);
        boolean enabled = Boolean.parseBoolean(ctx.formParam("enabled"));
        String reason = requireReason(ctx);
        String back = "/ns/" + Urls.enc(ns) + "/tags/" + Urls.enc(tag);
        if (!confirmed(ctx)) {
            List<String> changes = new ArrayList<>();
            ops.readable(who, ns).flags().values().stream()
                    .filter(f -> f.tags().contains(tag) && f.enabled() != enabled)
                    .forEach(f -> changes.add(f.key() + ": " + (f.enabled() ? "ON → OFF" : "OFF → ON")));
            changes.add("one atomic write: every service switches all of them at once");
            changes.add("reason: " + reason);
            confirm(
                    ctx,
                    ns,
                    (enabled ? "Enable" : "Disable") + " every flag tagged " + tag + " in " + ns + "?",
                    changes,
                    !enabled,
                    back);
            return;
        }
        WriteResult result = ops.setEnabledByTag(who, ns, tag, enabled, reason);
        ops.readable(who, ns).fleet.awaitDelivered(result.version(), SHOW_DELIVERED_WITHIN);
        ctx.redirect(back);
    }

    private void fleet(Context ctx) {
        String ns = ctx.pathParam("ns");
        NamespaceView view = ops.readable(Web.identity(ctx), ns);
        web.page(
                ctx,
                "fleet.jte",
                Map.of(
                        "chrome", web.chrome(ctx, "Fleet", ns, "fleet"),
                        "view", Views.fleet(ns, view.version(), view.epoch(), view.fleet.fleet())));
    }

    private void history(Context ctx) {
        String ns = ctx.pathParam("ns");
        NamespaceView view = ops.readable(Web.identity(ctx), ns);
        web.page(
                ctx,
                "history.jte",
                Map.of(
                        "chrome", web.chrome(ctx, "History", ns, "history"),
                        "items",
                                view.admin.history(intParam(ctx, "limit", 100)).stream()
                                        .map(Views::history)
                                        .toList()));
    }

    /** Streams the delivery table of one write until every instance confirmed it or is named lagging. */
    private void deliveryEvents(SseClient client) {
        Context ctx = client.ctx();
        String ns = ctx.pathParam("ns");
        String key = ctx.pathParam("key");
        NamespaceView view = ops.readable(Web.identity(ctx), ns);
        Flag flag = current(view, key, longParam(ctx, "version"));
        long version = longParam(ctx, "version") == null ? flag.version() : longParam(ctx, "version");
        Instant writtenAt = flag.version() == version ? flag.updatedAt() : null;
        stream(client, view, () -> {
            DeliveryView d = Views.delivery(ns, key, version, writtenAt, view.fleet.fleet());
            return Map.entry(web.render("delivery.jte", Map.of("d", d)), d.done());
        });
    }

    private void fleetEvents(SseClient client) {
        Context ctx = client.ctx();
        String ns = ctx.pathParam("ns");
        NamespaceView view = ops.readable(Web.identity(ctx), ns);
        stream(
                client,
                view,
                () -> Map.entry(
                        web.render(
                                "fleetTable.jte",
                                Map.of("view", Views.fleet(ns, view.version(), view.epoch(), view.fleet.fleet()))),
                        false));
    }

    /** Sends the fragment now and after every fleet change, until it says it is done or the browser leaves. */
    private static void stream(
            SseClient client, NamespaceView view, java.util.function.Supplier<Map.Entry<String, Boolean>> render) {
        Object lock = new Object();
        Runnable[] unsubscribe = new Runnable[1];
        Runnable send = () -> {
            synchronized (lock) {
                if (client.terminated()) {
                    return;
                }
                Map.Entry<String, Boolean> fragment = render.get();
                // one SSE data line: the fragment's own line breaks carry no meaning in HTML
                client.sendEvent("html", fragment.getKey().replaceAll("\\s*\\R\\s*", " "));
                if (fragment.getValue()) {
                    client.sendEvent("done", "");
                    if (unsubscribe[0] != null) {
                        unsubscribe[0].run();
                    }
                    // end the response: an open stream would hold one of the browser's few connections
                    client.close();
                }
            }
        };
        unsubscribe[0] = view.fleet.subscribe(send);
        client.onClose(unsubscribe[0]);
        client.keepAlive();
        send.run();
    }

    /**
     * After a write to one flag: waits briefly for the fleet ({@link #SHOW_DELIVERED_WITHIN}), then
     * shows the flag as of the write with its delivery.
     */
    private void showDelivery(Context ctx, Identity who, String ns, String key, WriteResult result) {
        ops.readable(who, ns).fleet.awaitDelivered(result.version(), SHOW_DELIVERED_WITHIN);
        ctx.redirect(flagUrl(ns, key) + "?v=" + result.version());
    }

    private void confirm(Context ctx, String ns, String heading, List<String> changes, boolean danger, String cancel) {
        Map<String, String> fields = new LinkedHashMap<>();
        ctx.formParamMap().forEach((k, v) -> {
            if (!v.isEmpty() && !k.equals("confirmed")) {
                fields.put(k, v.get(0));
            }
        });
        web.page(
                ctx,
                "confirm.jte",
                Map.of(
                        "chrome",
                        web.chrome(ctx, "Confirm", ns, "flags"),
                        "view",
                        new ConfirmView(heading, changes, ctx.path(), fields, danger, cancel)));
    }

    private static boolean confirmed(Context ctx) {
        return "yes".equals(ctx.formParam("confirmed"));
    }

    private static String requireReason(Context ctx) {
        String reason = ctx.formParam("reason");
        if (reason == null || reason.isBlank()) {
            throw new ApiError(ApiError.Code.USAGE, "a reason is required for every write", "say why, e.g. 'INC-42'");
        }
        return reason.strip();
    }

    private static String flagUrl(String ns, String key) {
        return "/ns/" + Urls.enc(ns) + "/flags/" + Urls.enc(key);
    }

    static int intParam(Context ctx, String name, int fallback) {
        Long value = longParam(ctx, name);
        return value == null ? fallback : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    static Long longParam(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null
                && ctx.method().name().equals("POST")
                && ctx.contentType() != null
                && ctx.contentType().startsWith("application/x-www-form-urlencoded")) {
            text = ctx.formParam(name);
        }
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new ApiError(ApiError.Code.USAGE, name + " must be a number, not '" + text + "'", null);
        }
    }
}
