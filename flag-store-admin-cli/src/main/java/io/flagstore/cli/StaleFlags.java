package io.flagstore.cli;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The stale-flag rules of {@code flagctl stale} (docs/flag-debt.md), pure so they are testable alone. */
final class StaleFlags {
    /** Why a flag is reported; the names are the CLI's output. */
    enum Reason {
        /** No service evaluated it for the period (or ever, and it is at least that old). */
        unused,
        /** It serves one variant to everyone and was not changed for the period. */
        single_variant,
        /** A temporary flag past its expiry. */
        expired,
        /** Its experiment stopped: roll out the winner and remove the experiment (or the flag). */
        experiment_finished;

        /** The name printed: {@code unused}, {@code single-variant}, {@code expired}, {@code experiment-finished}. */
        String label() {
            return name().replace('_', '-');
        }
    }

    /** One reported flag: its reasons, when a service last evaluated it (null: never) and what it serves. */
    record Finding(Flag flag, List<Reason> reasons, Instant lastEvaluated, String servedToAll) {}

    private StaleFlags() {}

    /**
     * The flags stale at {@code now} for {@code period}, sorted by key.
     *
     * @param usage flag key to service to last evaluation, as {@code FlagAdmin.usage()} returns it
     */
    static List<Finding> find(
            Collection<Flag> flags, Map<String, Map<String, Instant>> usage, Instant now, Duration period) {
        Instant cutoff = now.minus(period);
        List<Finding> findings = new ArrayList<>();
        for (Flag flag : flags) {
            Instant last = lastEvaluated(usage.get(flag.key()));
            Instant created = flag.createdAt() != null ? flag.createdAt() : flag.updatedAt();
            String servedToAll = servedToAll(flag);
            List<Reason> reasons = new ArrayList<>();
            if (last != null ? last.isBefore(cutoff) : created != null && !created.isAfter(cutoff)) {
                reasons.add(Reason.unused);
            }
            if (servedToAll != null
                    && flag.updatedAt() != null
                    && !flag.updatedAt().isAfter(cutoff)) {
                reasons.add(Reason.single_variant);
            }
            if (flag.temporary()
                    && flag.expiresAt() != null
                    && !flag.expiresAt().isAfter(now)) {
                reasons.add(Reason.expired);
            }
            if (flag.experiment() != null && flag.experiment().isStoppedAt(now)) {
                reasons.add(Reason.experiment_finished);
            }
            if (!reasons.isEmpty()) {
                findings.add(new Finding(flag, List.copyOf(reasons), last, servedToAll));
            }
        }
        findings.sort(Comparator.comparing(f -> f.flag().key()));
        return findings;
    }

    private static Instant lastEvaluated(Map<String, Instant> byService) {
        return byService == null
                ? null
                : byService.values().stream().max(Comparator.naturalOrder()).orElse(null);
    }

    /**
     * The variant every context gets, or null when contexts can get different ones: a disabled flag
     * serves its off variant; an enabled one without targets, rules or prerequisites serves its
     * fallthrough, when that is one variant or a rollout with a single non-zero slice.
     */
    static String servedToAll(Flag flag) {
        if (!flag.enabled()) {
            return flag.offVariant();
        }
        boolean targeted = flag.targets().values().stream().anyMatch(keys -> !keys.isEmpty());
        if (targeted || !flag.rules().isEmpty() || !flag.prerequisites().isEmpty()) {
            return null;
        }
        Serve serve = flag.fallthrough();
        Rollout rollout = serve.rollout();
        if (rollout == null) {
            return serve.variant();
        }
        List<WeightedVariant> slices =
                rollout.variants().stream().filter(w -> w.weight() > 0).toList();
        return slices.size() == 1 ? slices.get(0).variant() : null;
    }
}
