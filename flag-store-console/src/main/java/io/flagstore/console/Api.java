package io.flagstore.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.console.view.DeliveryRow;
import io.flagstore.console.view.DeliveryView;
import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.AuditEntry;
import io.flagstore.redis.Batch;
import io.flagstore.redis.NamespaceInfo;
import io.flagstore.redis.ScheduleEntry;
import io.flagstore.redis.ServiceInstance;
import io.flagstore.redis.WriteResult;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON API under {@code /api/v1}, described by {@code openapi.json} (served at {@code
 * /api/v1/openapi.json}). Writes take a JSON body with a {@code reason}; compare-and-set through
 * {@code If-Match: "<version>"} (the flag's {@code ETag}). Errors are {@code {"error": {code,
 * exitCode, message, hint}}} ({@link ApiError}).
 */
final class Api {
    static final String PREFIX = "/api/v1";

    private final Operations ops;
    private final ObjectMapper json = new ObjectMapper();
    private final byte[] openApi;

    Api(Operations ops) {
        this.ops = ops;
        try (InputStream in = Api.class.getResourceAsStream("/console/openapi.json")) {
            this.openApi = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void routes(RoutesConfig r) {
        r.get(PREFIX + "/openapi.json", ctx -> ctx.contentType("application/json")
                .result(openApi));
        r.get(PREFIX + "/namespaces", this::namespaces);
        r.get(PREFIX + "/ns/{ns}/flags", this::flags);
        r.post(PREFIX + "/ns/{ns}/flags", this::create);
        r.get(PREFIX + "/ns/{ns}/flags/{key}", this::flag);
        r.put(PREFIX + "/ns/{ns}/flags/{key}", this::update);
        r.delete(PREFIX + "/ns/{ns}/flags/{key}", this::delete);
        r.post(PREFIX + "/ns/{ns}/flags/{key}/enabled", this::setEnabled);
        r.post(PREFIX + "/ns/{ns}/flags/{key}/rollout", this::setRollout);
        r.post(PREFIX + "/ns/{ns}/flags/{key}/targets", this::setTargets);
        r.get(PREFIX + "/ns/{ns}/flags/{key}/delivery", this::delivery);
        r.post(PREFIX + "/ns/{ns}/tags/{tag}/enabled", this::setTagEnabled);
        r.post(PREFIX + "/ns/{ns}/batches", this::batch);
        r.get(PREFIX + "/ns/{ns}/history", this::history);
        r.get(PREFIX + "/ns/{ns}/segments", this::segments);
        r.get(PREFIX + "/ns/{ns}/schedules", this::schedules);
        r.get(PREFIX + "/ns/{ns}/status", this::status);
    }

    private void namespaces(Context ctx) {
        Identity who = Web.identity(ctx);
        ArrayNode list = json.createArrayNode();
        ops.all().forEach((name, view) -> who.grants().in(name).ifPresent(role -> list.addObject()
                .put("name", name)
                .put("role", role.label())
                .put("readOnly", view.readOnly())
                .put("version", view.version())
                .put("state", view.state().name())));
        send(ctx, json.createObjectNode().put("user", who.name()).set("namespaces", list));
    }

    private void flags(Context ctx) {
        NamespaceView view = ops.readable(Web.identity(ctx), ctx.pathParam("ns"));
        FlagQuery query = Pages.query(ctx);
        List<Flag> matching = query.filter(List.copyOf(view.flags().values()));
        ObjectNode out = json.createObjectNode()
                .put("version", view.version())
                .put("total", matching.size())
                .put("page", query.page())
                .put("size", query.size());
        ArrayNode flags = out.putArray("flags");
        query.page(matching).forEach(f -> flags.add(FlagJson.toTree(f)));
        send(ctx, out);
    }

    private void flag(Context ctx) {
        NamespaceView view = ops.readable(Web.identity(ctx), ctx.pathParam("ns"));
        String key = ctx.pathParam("key");
        Flag flag = view.admin.get(key).orElseThrow(() -> new FlagNotFoundException(key));
        ctx.header("ETag", etag(flag.version()));
        send(ctx, FlagJson.toTree(flag));
    }

    private void create(Context ctx) {
        JsonNode body = body(ctx);
        Flag flag = FlagJson.fromTree(required(body, "flag"));
        WriteResult result = ops.create(Web.identity(ctx), ctx.pathParam("ns"), flag, text(body, "reason"));
        ctx.status(201);
        written(ctx, result);
    }

    private void update(Context ctx) {
        Long expected = ifMatch(ctx);
        if (expected == null) {
            throw new ApiError(
                    ApiError.Code.PRECONDITION_REQUIRED,
                    "replacing a flag needs If-Match with the version it replaces",
                    "GET the flag, send its ETag back in If-Match");
        }
        JsonNode body = body(ctx);
        Flag flag = FlagJson.fromTree(required(body, "flag"));
        if (!flag.key().equals(ctx.pathParam("key"))) {
            throw new ApiError(ApiError.Code.USAGE, "the body's flag key differs from the URL's", null);
        }
        written(
                ctx,
                cas(() -> ops.update(Web.identity(ctx), ctx.pathParam("ns"), flag, text(body, "reason"), expected)));
    }

    private void delete(Context ctx) {
        JsonNode body = body(ctx);
        Long expected = ifMatch(ctx);
        written(
                ctx,
                cas(() -> ops.delete(
                        Web.identity(ctx), ctx.pathParam("ns"), ctx.pathParam("key"), text(body, "reason"), expected)));
    }

    private void setEnabled(Context ctx) {
        JsonNode body = body(ctx);
        if (!required(body, "enabled").isBoolean()) {
            throw new ApiError(ApiError.Code.USAGE, "enabled must be true or false", null);
        }
        Long expected = ifMatch(ctx);
        written(
                ctx,
                cas(() -> ops.setEnabled(
                        Web.identity(ctx),
                        ctx.pathParam("ns"),
                        ctx.pathParam("key"),
                        body.get("enabled").booleanValue(),
                        text(body, "reason"),
                        expected)));
    }

    private void setRollout(Context ctx) {
        JsonNode body = body(ctx);
        List<WeightedVariant> weights = new ArrayList<>();
        required(body, "weights")
                .fields()
                .forEachRemaining(e ->
                        weights.add(new WeightedVariant(e.getKey(), e.getValue().asDouble())));
        Long expected = ifMatch(ctx);
        written(
                ctx,
                cas(() -> ops.setRollout(
                        Web.identity(ctx),
                        ctx.pathParam("ns"),
                        ctx.pathParam("key"),
                        weights,
                        text(body, "reason"),
                        expected)));
    }

    private void setTargets(Context ctx) {
        JsonNode body = body(ctx);
        List<String> keys = new ArrayList<>();
        required(body, "keys").forEach(k -> keys.add(k.asText()));
        Long expected = ifMatch(ctx);
        written(
                ctx,
                cas(() -> ops.setTargets(
                        Web.identity(ctx),
                        ctx.pathParam("ns"),
                        ctx.pathParam("key"),
                        required(body, "variant").asText(),
                        keys,
                        text(body, "reason"),
                        expected)));
    }

    private void setTagEnabled(Context ctx) {
        JsonNode body = body(ctx);
        written(
                ctx,
                ops.setEnabledByTag(
                        Web.identity(ctx),
                        ctx.pathParam("ns"),
                        ctx.pathParam("tag"),
                        required(body, "enabled").asBoolean(),
                        text(body, "reason")));
    }

    /** Flags to create or replace and keys to delete, as one version, one audit entry and one message. */
    private void batch(Context ctx) {
        JsonNode body = body(ctx);
        Batch.Builder batch = Batch.builder();
        JsonNode puts = body.path("puts");
        JsonNode deletes = body.path("deletes");
        if (puts.size() + deletes.size() == 0) {
            throw new ApiError(ApiError.Code.USAGE, "the body needs 'puts' (flags) or 'deletes' (keys)", null);
        }
        puts.forEach(f -> {
            Flag flag = FlagJson.fromTree(f);
            if (flag.version() > 0) {
                batch.put(flag, flag.version());
            } else {
                batch.put(flag);
            }
        });
        deletes.forEach(k -> batch.delete(k.asText()));
        written(ctx, ops.apply(Web.identity(ctx), ctx.pathParam("ns"), batch.build(), text(body, "reason")));
    }

    private void delivery(Context ctx) {
        String ns = ctx.pathParam("ns");
        NamespaceView view = ops.readable(Web.identity(ctx), ns);
        String key = ctx.pathParam("key");
        Flag flag = view.admin.get(key).orElseThrow(() -> new FlagNotFoundException(key));
        DeliveryView d = Views.delivery(ns, key, flag.version(), flag.updatedAt(), view.fleet.fleet());
        ObjectNode out = json.createObjectNode()
                .put("version", d.version())
                .put("confirmed", d.confirmed())
                .put("lagging", d.lagging())
                .put("done", d.done())
                .put("summary", d.summary());
        ArrayNode rows = out.putArray("instances");
        for (DeliveryRow r : d.rows()) {
            rows.addObject()
                    .put("service", r.service())
                    .put("instance", r.instance())
                    .put("host", r.host())
                    .put("appliedVersion", r.applied())
                    .put("status", r.status());
        }
        send(ctx, out);
    }

    private void history(Context ctx) {
        NamespaceView view = ops.readable(Web.identity(ctx), ctx.pathParam("ns"));
        int limit = Pages.intParam(ctx, "limit", 50);
        if (limit < 1 || limit > 1000) {
            throw new ApiError(ApiError.Code.USAGE, "limit must be 1..1000, not " + limit, null);
        }
        String key = ctx.queryParam("key");
        List<AuditEntry> entries = key == null ? view.admin.history(limit) : view.admin.history(key, limit);
        ArrayNode out = json.createArrayNode();
        for (AuditEntry e : entries) {
            ObjectNode n = out.addObject()
                    .put("id", e.id())
                    .put("version", e.version())
                    .put("op", e.op())
                    .put("actor", e.actor())
                    .put("reason", e.reason())
                    .put("writtenAt", e.writtenAt().toString());
            e.keys().forEach(n.putArray("keys")::add);
            ArrayNode before = n.putArray("before");
            e.before().forEach(f -> before.add(FlagJson.toTree(f)));
            ArrayNode after = n.putArray("after");
            e.after().forEach(f -> after.add(FlagJson.toTree(f)));
        }
        send(ctx, json.createObjectNode().set("entries", out));
    }

    private void segments(Context ctx) {
        NamespaceView view = ops.readable(Web.identity(ctx), ctx.pathParam("ns"));
        ArrayNode out = json.createArrayNode();
        view.admin.segments().forEach(s -> out.add(FlagJson.segmentToTree(s)));
        send(ctx, json.createObjectNode().set("segments", out));
    }

    private void schedules(Context ctx) {
        NamespaceView view = ops.readable(Web.identity(ctx), ctx.pathParam("ns"));
        ArrayNode out = json.createArrayNode();
        for (ScheduleEntry e : view.scheduler.scheduled()) {
            ObjectNode n = out.addObject()
                    .put("id", e.id())
                    .put("kind", e.change().kind().op())
                    .put("due", e.change().due().toString())
                    .put("state", e.state().name().toLowerCase(java.util.Locale.ROOT))
                    .put("actor", e.actor())
                    .put("reason", e.reason());
            e.change().keys().forEach(n.putArray("keys")::add);
        }
        send(ctx, json.createObjectNode().set("schedules", out));
    }

    private void status(Context ctx) {
        NamespaceView view = ops.readable(Web.identity(ctx), ctx.pathParam("ns"));
        NamespaceInfo info = view.admin.info();
        ObjectNode out = json.createObjectNode()
                .put("namespace", info.namespace())
                .put("version", info.version())
                .put("epoch", info.epoch())
                .put("flags", info.flagCount())
                .put("segments", info.segmentCount())
                .put("redisVersion", info.redisVersion())
                .put("readOnly", view.readOnly())
                .put("consoleState", view.state().name());
        ArrayNode instances = out.putArray("instances");
        for (ServiceInstance i : view.fleet.fleet().instances()) {
            instances
                    .addObject()
                    .put("service", i.service())
                    .put("instance", i.instance())
                    .put("host", i.host())
                    .put("appliedVersion", i.appliedVersion())
                    .put("heartbeat", i.heartbeat().toString());
        }
        send(ctx, out);
    }

    /** Runs a compare-and-set write; with If-Match, a conflict is HTTP's 412 rather than 409. */
    private static WriteResult cas(java.util.function.Supplier<WriteResult> write) {
        try {
            return write.get();
        } catch (io.flagstore.core.VersionConflictException e) {
            throw new ApiError(
                    ApiError.Code.PRECONDITION_FAILED, e.getMessage(), "GET it again and retry with the new ETag");
        }
    }

    private void written(Context ctx, WriteResult result) {
        ctx.header("ETag", etag(result.version()));
        ObjectNode out = json.createObjectNode()
                .put("version", result.version())
                .put("receivers", result.receivers())
                .put("writtenAt", result.writtenAt().toString());
        result.keys().forEach(out.putArray("keys")::add);
        send(ctx, out);
    }

    private JsonNode body(Context ctx) {
        String text = ctx.body();
        if (text.isBlank()) {
            throw new ApiError(ApiError.Code.USAGE, "a JSON body with a reason is required", null);
        }
        try {
            JsonNode node = json.readTree(text);
            if (!node.isObject()) {
                throw new ApiError(ApiError.Code.USAGE, "the body must be a JSON object", null);
            }
            return node;
        } catch (IOException e) {
            throw new ApiError(ApiError.Code.USAGE, "the body is not JSON", null);
        }
    }

    private static JsonNode required(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new ApiError(ApiError.Code.USAGE, "the body needs '" + field + "'", null);
        }
        return value;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** The version of {@code If-Match: "<version>"}, or null when absent. */
    static Long ifMatch(Context ctx) {
        String header = ctx.header("If-Match");
        if (header == null) {
            return null;
        }
        String v = header.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        if (!v.matches("[0-9]{1,18}")) {
            throw new ApiError(
                    ApiError.Code.USAGE, "If-Match must be a version ETag such as \"42\", not " + header, null);
        }
        return Long.parseLong(v);
    }

    private void send(Context ctx, JsonNode body) {
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/json").result(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The error body of the API. */
    static String errorBody(ApiError e) {
        ObjectNode error = new ObjectMapper().createObjectNode();
        error.putObject("error")
                .put("code", e.code.label())
                .put("exitCode", e.code.exitCode)
                .put("message", e.getMessage())
                .put("hint", e.hint);
        return error.toString();
    }
}
