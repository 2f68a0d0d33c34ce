package io.flagstore.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.VersionConflictException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.internal.Json;
import io.flagstore.redis.internal.KeySchema;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Scheduled changes of one namespace (docs/scheduling.md): stores changes to make later, lists and
 * cancels them, and applies the due ones. {@link #runDue} applies each due change exactly once
 * however many schedulers call it at the same time: the write that applies a change is the ordinary
 * write script, which also removes the change's id from the schedule and refuses to write if the id
 * is already gone.
 *
 * <pre>{@code
 * FlagScheduler scheduler = new FlagScheduler(admin);
 * String id = scheduler.schedule(
 *         ScheduledChange.enable("new-checkout", Instant.parse("2026-12-01T09:00:00Z")),
 *         WriteOptions.defaults().withReason("launch"));
 * // in a scheduler process, every second:
 * scheduler.runDue(Instant.now());
 * }</pre>
 *
 * <p>A change that cannot be written when it runs (its flag is gone, the result is invalid, or
 * concurrent writes keep conflicting after {@value FlagAdmin#MAX_ATTEMPTS} attempts) is settled as
 * {@link ScheduleEntry.State#FAILED failed} with the error, audited, and not retried. Redis failures
 * leave it pending for the next run.
 *
 * <p>Thread-safe; uses the admin's connection and does not own it.
 */
public final class FlagScheduler {
    /** How long applied, cancelled and failed changes stay readable with {@link #get}. */
    public static final Duration KEEP_SETTLED = Duration.ofDays(30);
    /** {@link #runDue} applies at most this many changes per call (callers loop). */
    public static final int MAX_PER_RUN = 1000;

    private final AdminRedis redis;
    private final KeySchema keys;
    private final WritePipeline pipeline;
    private final AdminScripts scripts;

    /** A scheduler over {@code admin}'s namespace and connection. */
    public FlagScheduler(FlagAdmin admin) {
        Objects.requireNonNull(admin, "admin");
        this.redis = admin.redis();
        this.keys = redis.keys();
        this.pipeline = admin.pipeline();
        this.scripts = admin.scripts();
    }

    /** {@link #schedule(List, WriteOptions)} of one change; returns its id. */
    public String schedule(ScheduledChange change, WriteOptions options) {
        return schedule(List.of(change), options).get(0);
    }

    /**
     * Stores {@code changes} (e.g. the steps of a {@link ScheduledChange#ramp ramp}), all or none,
     * after checking that each would be written if it ran now. Each is audited as op {@code
     * schedule}. The applied writes will carry {@code options}' actor and reason.
     *
     * @return the ids, in the order of {@code changes}
     * @throws FlagNotFoundException if a change names a missing flag (nothing stored)
     * @throws InvalidFlagException if a change would make an invalid flag or set (nothing stored)
     * @throws IllegalArgumentException if {@code changes} is empty, a due time is in the past, or
     *     {@code options} names an expected version
     */
    public List<String> schedule(List<ScheduledChange> changes, WriteOptions options) {
        Objects.requireNonNull(options, "options");
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("nothing to schedule");
        }
        if (options.expectedVersion() != null) {
            throw new IllegalArgumentException(
                    "expectedVersion does not apply to a scheduled change: it runs against the flags as they are then");
        }
        Instant now = Instant.now();
        for (ScheduledChange change : changes) {
            if (change.due().isBefore(now)) {
                throw new IllegalArgumentException("due time " + change.due() + " is in the past (now " + now + ")");
            }
        }
        changes.forEach(change -> pipeline.check(plan(change).changes(), options.actor()));
        List<String> ids = new ArrayList<>();
        List<AdminScripts.Scheduled> stored = new ArrayList<>();
        for (ScheduledChange change : changes) {
            String id = newId();
            ids.add(id);
            stored.add(new AdminScripts.Scheduled(
                    id, change.due().toEpochMilli(), String.join(",", change.keys()), encode(change)));
        }
        scripts.schedule(stored, options.actor(), options.reason());
        return ids;
    }

    /** {@return the pending changes, soonest first (an unmodifiable list)} */
    public List<ScheduleEntry> scheduled() {
        List<String> ids = redis.call("ZRANGE", () -> redis.sync().zrange(keys.scheduled(), 0, -1));
        List<ScheduleEntry> out = new ArrayList<>();
        for (String id : ids) {
            get(id).filter(e -> e.state() == ScheduleEntry.State.PENDING).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /**
     * The change stored under {@code id}, pending or settled within {@link #KEEP_SETTLED}, or empty.
     *
     * @throws IllegalArgumentException if the stored hash is unreadable (edited by hand)
     */
    public Optional<ScheduleEntry> get(String id) {
        Map<String, String> fields = redis.call("HGETALL", () -> redis.sync().hgetall(keys.schedule(id)));
        return fields.isEmpty() ? Optional.empty() : Optional.of(decode(id, fields));
    }

    /**
     * Cancels pending change {@code id}: it will never be applied. Audited as op {@code
     * cancel-schedule} with {@code options}' actor and reason.
     *
     * @return the cancelled entry
     * @throws FlagNotFoundException (key {@code schedule:<id>}) if there is no such change
     * @throws IllegalStateException if it is no longer pending (applied, failed or already cancelled)
     */
    public ScheduleEntry cancel(String id, WriteOptions options) {
        Objects.requireNonNull(options, "options");
        ScheduleEntry entry = get(id).orElseThrow(() -> new FlagNotFoundException("schedule:" + id));
        if (!settle(id, ScheduleEntry.State.CANCELLED, "cancel-schedule", options.actor(), options.reason())) {
            ScheduleEntry now = get(id).orElse(entry);
            throw new IllegalStateException("scheduled change " + id + " is already "
                    + now.state().name().toLowerCase(Locale.ROOT) + ", it cannot be cancelled");
        }
        return get(id).orElseThrow(() -> new FlagNotFoundException("schedule:" + id));
    }

    /**
     * Applies every change due at or before {@code now}, soonest first, each as one ordinary write
     * (actor: who scheduled it; reason: {@code scheduled:<id>}, the due time, how late it ran, and
     * the scheduling reason). Changes another scheduler applies meanwhile are skipped. Safe to call
     * concurrently from any number of threads and processes.
     *
     * @return the changes this call settled: applied, or failed with the error
     * @throws io.flagstore.core.StoreUnavailableException if Redis fails (unsettled changes stay pending)
     */
    public List<ScheduleEntry> runDue(Instant now) {
        Range<Long> upTo = Range.from(Range.Boundary.unbounded(), Range.Boundary.including(now.toEpochMilli()));
        List<String> due = redis.call("ZRANGEBYSCORE", () -> redis.sync()
                .zrangebyscore(keys.scheduled(), upTo, Limit.create(0, MAX_PER_RUN)));
        List<ScheduleEntry> settled = new ArrayList<>();
        for (String id : due) {
            Map<String, String> fields =
                    redis.call("HGETALL", () -> redis.sync().hgetall(keys.schedule(id)));
            if (!fields.isEmpty() && !"pending".equals(fields.get("state"))) {
                continue; // settled by another scheduler since the range read
            }
            runOne(id, fields).ifPresent(settled::add);
        }
        return settled;
    }

    private Optional<ScheduleEntry> runOne(String id, Map<String, String> fields) {
        ScheduleEntry entry;
        try {
            entry = decode(id, fields);
        } catch (IllegalArgumentException e) {
            return failed(id, WriteOptions.DEFAULT_ACTOR, "unreadable scheduled change: " + e.getMessage());
        }
        WriteOptions options = new WriteOptions(entry.actor(), appliedReason(entry), null);
        try {
            WriteResult result = pipeline.write(
                    entry.change().kind().op(),
                    options,
                    AdminScripts.Mode.WRITE,
                    plan(entry.change()),
                    new AdminScripts.Claim(id, KEEP_SETTLED.toSeconds()));
            return Optional.of(new ScheduleEntry(
                    id,
                    entry.change(),
                    entry.actor(),
                    entry.reason(),
                    entry.created(),
                    ScheduleEntry.State.APPLIED,
                    result.writtenAt(),
                    entry.actor(),
                    result.version(),
                    null));
        } catch (AdminScripts.ClaimLostException e) {
            return Optional.empty();
        } catch (FlagNotFoundException | InvalidFlagException | VersionConflictException | IllegalArgumentException e) {
            return failed(id, entry.actor(), e.getMessage());
        }
    }

    private Optional<ScheduleEntry> failed(String id, String actor, String error) {
        return settle(id, ScheduleEntry.State.FAILED, "schedule-failed", actor, error) ? get(id) : Optional.empty();
    }

    /** Settles {@code id} without a write if it is still pending; false if it was not. */
    private boolean settle(String id, ScheduleEntry.State state, String op, String actor, String detail) {
        return scripts.settle(id, state, op, actor, detail, KEEP_SETTLED.toSeconds());
    }

    /** Plans {@code change} against the flags as they are when the plan runs. */
    private WritePipeline.Planner plan(ScheduledChange change) {
        return switch (change.kind()) {
            case ENABLE -> pipeline.modify(change.key(), f -> f.withEnabled(true), null);
            case DISABLE -> pipeline.modify(change.key(), f -> f.withEnabled(false), null);
            case ROLLOUT -> pipeline.modify(change.key(), FlagAdmin.rolloutOf(change.weights()), null);
            case BATCH -> {
                Batch.Builder batch = Batch.builder();
                change.puts().forEach(batch::put);
                change.deletes().forEach(batch::delete);
                List<Change> changes = batch.build().changes();
                yield () -> changes;
            }
        };
    }

    /** {@code scheduled:<id> (due <time>, <n>s late): <reason>}: the audit shows how late a change ran. */
    private static String appliedReason(ScheduleEntry entry) {
        Duration late = Duration.between(entry.change().due(), Instant.now());
        String reason = String.format(
                Locale.ROOT,
                "scheduled:%s (due %s, %.1fs late)",
                entry.id(),
                entry.change().due(),
                Math.max(0, late.toMillis()) / 1000.0);
        return entry.reason() == null ? reason : reason + ": " + entry.reason();
    }

    private static String newId() {
        return HexFormat.of()
                .toHexDigits(ThreadLocalRandom.current().nextLong())
                .substring(4);
    }

    // ---------------------------------------------------------------- stored form

    private static String encode(ScheduledChange change) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("kind", change.kind().op());
        if (change.key() != null) {
            node.put("key", change.key());
        }
        if (!change.weights().isEmpty()) {
            ArrayNode weights = node.putArray("weights");
            change.weights()
                    .forEach(
                            w -> weights.addObject().put("variant", w.variant()).put("weight", w.weight()));
        }
        if (change.kind() == ScheduledChange.Kind.BATCH) {
            ArrayNode puts = node.putArray("puts");
            change.puts().forEach(f -> puts.add(FlagJson.toTree(f)));
            ArrayNode deletes = node.putArray("deletes");
            change.deletes().forEach(deletes::add);
        }
        return node.toString();
    }

    private static ScheduleEntry decode(String id, Map<String, String> fields) {
        try {
            JsonNode node = Json.MAPPER.readTree(require(fields, "change"));
            ScheduledChange.Kind kind = kind(node.path("kind").asText());
            List<WeightedVariant> weights = new ArrayList<>();
            node.path("weights")
                    .forEach(w -> weights.add(new WeightedVariant(
                            w.path("variant").asText(), w.path("weight").asDouble())));
            List<Flag> puts = new ArrayList<>();
            node.path("puts").forEach(f -> puts.add(FlagJson.fromTree(f)));
            List<String> deletes = new ArrayList<>();
            node.path("deletes").forEach(d -> deletes.add(d.asText()));
            String key = node.hasNonNull("key") ? node.get("key").asText() : null;
            ScheduledChange change = new ScheduledChange(
                    kind, key, weights, puts, deletes, Instant.ofEpochMilli(Long.parseLong(require(fields, "due"))));
            String reason = fields.get("reason");
            String settledAt = fields.get("settledAt");
            String detail = fields.get("detail");
            return new ScheduleEntry(
                    id,
                    change,
                    require(fields, "actor"),
                    reason == null || reason.isEmpty() ? null : reason,
                    Instant.ofEpochMilli(Long.parseLong(require(fields, "created"))),
                    ScheduleEntry.State.valueOf(require(fields, "state").toUpperCase(Locale.ROOT)),
                    settledAt == null ? null : Instant.ofEpochMilli(Long.parseLong(settledAt)),
                    fields.get("settledBy"),
                    Long.parseLong(fields.getOrDefault("appliedVersion", "0")),
                    detail == null || detail.isEmpty() ? null : detail);
        } catch (JsonProcessingException | InvalidFlagException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "stored scheduled change " + id + ": " + Json.parserMessage(e.getMessage()), e);
        }
    }

    private static ScheduledChange.Kind kind(String op) {
        for (ScheduledChange.Kind kind : ScheduledChange.Kind.values()) {
            if (kind.op().equals(op)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown kind " + Json.quoteForMessage(op, 40));
    }

    private static String require(Map<String, String> fields, String field) {
        String value = fields.get(field);
        if (value == null) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return value;
    }
}
