package io.flagstore.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagstore.console.view.DeliveryRow;
import io.flagstore.console.view.DeliveryView;
import io.flagstore.console.view.DiffLine;
import io.flagstore.console.view.FlagRow;
import io.flagstore.console.view.FleetRow;
import io.flagstore.console.view.FleetView;
import io.flagstore.console.view.HistoryItem;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.AuditEntry;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.ServiceInstance;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Builds the view records the templates and the JSON API show, from the library's types. */
final class Views {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** Fields every write changes: left out of diffs, which show what the write was about. */
    private static final Set<String> BOOKKEEPING = Set.of("version", "updatedAt", "updatedBy", "createdAt");

    private Views() {}

    static FlagRow row(Flag f) {
        return new FlagRow(
                f.key(),
                f.type().name().toLowerCase(Locale.ROOT),
                f.enabled(),
                serving(f),
                nonNull(f.owner()),
                f.tags(),
                nonNull(f.description()),
                f.version(),
                f.updatedAt() == null
                        ? ""
                        : WHEN.format(f.updatedAt()) + (f.updatedBy() == null ? "" : " · " + f.updatedBy()));
    }

    /** What the flag serves, in words: the off variant, one variant, or the rollout's slices. */
    static String serving(Flag f) {
        if (!f.enabled()) {
            return f.offVariant();
        }
        Rollout rollout = f.fallthrough().rollout();
        String base = rollout == null
                ? f.fallthrough().variant()
                : rollout.variants().stream()
                        .map(w -> w.variant() + " " + percent(w.weight()) + "%")
                        .collect(Collectors.joining(" / "));
        boolean targeted = f.targets().values().stream().anyMatch(k -> !k.isEmpty());
        return base
                + (f.rules().isEmpty() ? "" : " + " + f.rules().size() + " rule(s)")
                + (targeted ? " + targets" : "");
    }

    static String percent(double weight) {
        return weight == Math.rint(weight) ? Long.toString((long) weight) : Double.toString(weight);
    }

    /** The rollout's weights by variant; 100 for the one variant a fallthrough without rollout serves. */
    static Map<String, String> weights(Flag f) {
        Rollout rollout = f.fallthrough().rollout();
        if (rollout == null) {
            return Map.of(f.fallthrough().variant(), "100");
        }
        java.util.LinkedHashMap<String, String> weights = new java.util.LinkedHashMap<>();
        for (WeightedVariant w : rollout.variants()) {
            weights.put(w.variant(), percent(w.weight()));
        }
        return weights;
    }

    /**
     * Where the write at {@code version} (made at {@code writtenAt}) has arrived: confirmed by each
     * instance whose applied version reached it; lagging when it has not {@link
     * FleetTracker#LAGGING_AFTER} after the write.
     */
    static DeliveryView delivery(String ns, String key, long version, Instant writtenAt, FleetTracker.Fleet fleet) {
        Instant now = Instant.now();
        boolean late = writtenAt != null && now.isAfter(writtenAt.plus(FleetTracker.LAGGING_AFTER));
        List<DeliveryRow> rows = new ArrayList<>();
        int confirmed = 0;
        int lagging = 0;
        int unverified = 0;
        int counted = 0;
        for (ServiceInstance i : fleet.instances()) {
            String status;
            String applyTime = "";
            if (fleet.unverified().containsKey(i.instance())) {
                status = "unverified"; // not the instance's own word: it never confirms
                unverified++;
            } else if (fleet.confirms(i, version, writtenAt)) {
                status = "confirmed";
                confirmed++;
                if (writtenAt != null && i.appliedAt() != null && !i.appliedAt().isBefore(writtenAt)) {
                    applyTime = millis(Duration.between(writtenAt, i.appliedAt()));
                }
            } else if (i.closedAt() != null) {
                status = "left";
            } else if (late) {
                status = "lagging";
                lagging++;
            } else {
                status = "pending";
            }
            if (!status.equals("left")) {
                counted++;
            }
            rows.add(new DeliveryRow(
                    i.service(),
                    i.instance(),
                    nonNull(i.host()),
                    i.appliedVersion(),
                    status,
                    applyTime,
                    ago(i.heartbeat(), now)));
        }
        boolean done = confirmed + lagging + unverified >= counted;
        String summary = counted == 0
                ? "No running instance to confirm v" + version
                : confirmed == counted
                        ? "All " + counted + " instances confirmed v" + version
                        : confirmed + " of " + counted + " instances confirmed v" + version
                                + (unverified > 0 ? "; " + unverified + " unverified" : "")
                                + (lagging > 0 ? "; " + lagging + " lagging" : done ? "" : "; waiting…");
        // an unverified instance is as bad as a lagging one: the write is not known to be there
        return new DeliveryView(ns, key, version, rows, confirmed, lagging + unverified, done, summary, fleet.error());
    }

    /**
     * The fleet against the namespace at {@code version} and {@code epoch} (null: unknown): an
     * instance reporting another epoch holds data from before a reset or re-seed.
     */
    static FleetView fleet(String ns, long version, String epoch, FleetTracker.Fleet fleet) {
        Instant now = Instant.now();
        List<FleetRow> rows = new ArrayList<>();
        Set<String> services = new LinkedHashSet<>();
        int behind = 0;
        for (ServiceInstance i : fleet.instances()) {
            services.add(i.service());
            Duration interval =
                    i.heartbeatInterval() == null ? FlagAdmin.DEFAULT_HEARTBEAT_INTERVAL : i.heartbeatInterval();
            String status;
            if (i.closedAt() != null) {
                status = "left";
            } else if (fleet.unverified().containsKey(i.instance())) {
                status = "unverified"; // what it reports may not be its own word
                behind++;
            } else if (epoch != null && i.epoch() != null && !epoch.equals(i.epoch())) {
                status = "other-epoch";
                behind++;
            } else if (i.heartbeat().isBefore(now.minus(interval.multipliedBy(2)))) {
                status = "silent";
            } else if (i.appliedVersion() < version) {
                status = "behind";
                behind++;
            } else {
                status = "ok";
            }
            rows.add(new FleetRow(
                    i.service(),
                    i.instance(),
                    nonNull(i.host()),
                    i.appliedVersion(),
                    Math.max(0, version - i.appliedVersion()),
                    ago(i.heartbeat(), now),
                    i.started() == null ? "" : WHEN.format(i.started()),
                    status));
        }
        String summary = rows.size() + " instance(s) of " + services.size() + " service(s); namespace at v" + version
                + (behind == 0 ? "" : "; " + behind + " behind, unverified or on another epoch");
        return new FleetView(ns, version, rows, summary, behind == 0);
    }

    static HistoryItem history(AuditEntry e) {
        Map<String, Flag> before = e.before().stream().collect(Collectors.toMap(Flag::key, Function.identity()));
        Map<String, Flag> after = e.after().stream().collect(Collectors.toMap(Flag::key, Function.identity()));
        List<HistoryItem.FlagDiff> diffs = new ArrayList<>();
        for (String key : e.keys()) {
            if (before.containsKey(key) || after.containsKey(key)) {
                diffs.add(new HistoryItem.FlagDiff(key, diff(before.get(key), after.get(key))));
            }
        }
        return new HistoryItem(
                e.version(), e.op(), e.keys(), e.actor(), nonNull(e.reason()), WHEN.format(e.writtenAt()), diffs);
    }

    /** The top-level fields that differ, as compact JSON; a missing side is empty. */
    static List<DiffLine> diff(Flag before, Flag after) {
        JsonNode b = before == null ? null : FlagJson.toTree(before);
        JsonNode a = after == null ? null : FlagJson.toTree(after);
        Set<String> fields = new LinkedHashSet<>();
        for (JsonNode n : new JsonNode[] {b, a}) {
            if (n != null) {
                for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                    fields.add(it.next());
                }
            }
        }
        List<DiffLine> lines = new ArrayList<>();
        for (String field : fields) {
            JsonNode x = b == null ? null : b.get(field);
            JsonNode y = a == null ? null : a.get(field);
            if (!BOOKKEEPING.contains(field) && !java.util.Objects.equals(x, y)) {
                lines.add(new DiffLine(field, x == null ? "" : x.toString(), y == null ? "" : y.toString()));
            }
        }
        return lines;
    }

    static String when(Instant instant) {
        return instant == null ? "" : WHEN.format(instant);
    }

    static String ago(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        return s < 60 ? s + " s ago" : s < 3600 ? s / 60 + " min ago" : s / 3600 + " h ago";
    }

    static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
