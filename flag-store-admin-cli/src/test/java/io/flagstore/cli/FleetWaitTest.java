package io.flagstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.redis.FleetView;
import io.flagstore.redis.ServiceInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * {@link FleetWait} on scripted presence views, without Redis: with trusted keys, whatever a holder
 * of the service role (no private key, no {@code HDEL}) writes over the entries of instances that
 * cannot speak for themselves, before and after the write, the wait is complete only when every
 * real instance confirmed with its own entry.
 */
class FleetWaitTest {
    private static final String EPOCH = "e1";
    private static final String KEY = "trusted-key";
    private static final long BEFORE = 10;
    private static final long WRITTEN = BEFORE + 1;
    private static final Instant WRITTEN_AT = Instant.parse("2026-12-04T09:00:00Z");
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    /** What a view holds for one instance: its own entry, or what the forger wrote over it. */
    enum Shown {
        OWN,
        GARBAGE,
        CLOSED_UNDER_ANOTHER_KEY,
        LIVE_UNDER_ANOTHER_KEY,
        LONG_GONE_UNDER_ANOTHER_KEY,
        ANOTHER_INSTANCES_ENTRY
    }

    private static ServiceInstance entry(String id, long applied, Instant appliedAt, String key, Instant closedAt) {
        return new ServiceInstance(
                        "checkout",
                        id,
                        "h1",
                        applied,
                        appliedAt,
                        WRITTEN_AT.plusMillis(5),
                        null,
                        EPOCH,
                        HEARTBEAT,
                        null,
                        closedAt)
                .withSigningKey(key);
    }

    /** A view after Presence judged it: each instance where its entry puts it. */
    private static FleetView view(Map<String, Shown> shown, Map<String, Boolean> applied) {
        List<ServiceInstance> live = new ArrayList<>();
        List<ServiceInstance> closed = new ArrayList<>();
        List<FleetView.Implausible> implausible = new ArrayList<>();
        shown.forEach((id, how) -> {
            boolean confirmed = applied.get(id);
            long version = confirmed ? WRITTEN : BEFORE;
            Instant at = confirmed ? WRITTEN_AT.plusMillis(3) : WRITTEN_AT.minusSeconds(60);
            switch (how) {
                case OWN -> live.add(entry(id, version, at, KEY, null));
                case GARBAGE -> implausible.add(new FleetView.Implausible(id, "not a presence entry"));
                case CLOSED_UNDER_ANOTHER_KEY -> closed.add(entry(id, WRITTEN, at, "forger", WRITTEN_AT));
                case LIVE_UNDER_ANOTHER_KEY -> live.add(entry(id, WRITTEN, WRITTEN_AT.plusMillis(3), "forger", null));
                case LONG_GONE_UNDER_ANOTHER_KEY -> implausible.add(new FleetView.Implausible(
                        id, "long gone, and not signed by its service's trusted key (removed)"));
                case ANOTHER_INSTANCES_ENTRY -> implausible.add(
                        new FleetView.Implausible(id, "it claims to be instance 'other'"));
            }
        });
        return new FleetView(
                WRITTEN,
                EPOCH,
                WRITTEN_AT.plusMillis(10),
                live,
                closed,
                List.of(),
                implausible,
                Map.of("checkout", KEY));
    }

    /** Hands out the views in order, then interrupts the waiting thread so the wait returns at once. */
    private static Supplier<FleetView> script(List<FleetView> views) {
        Iterator<FleetView> next = views.iterator();
        FleetView[] last = {null};
        return () -> {
            if (next.hasNext()) {
                last[0] = next.next();
            } else {
                Thread.currentThread().interrupt();
            }
            return last[0];
        };
    }

    private static FleetWait.Outcome await(FleetView before, List<FleetView> after) {
        try {
            return FleetWait.await(script(after), before, WRITTEN, WRITTEN_AT, Duration.ofSeconds(10));
        } finally {
            Thread.interrupted(); // clear what the script set
        }
    }

    @RepeatedTest(300)
    void withTrustedKeysTheWaitIsCompleteOnlyWhenEveryRealInstanceConfirmedItself(RepetitionInfo repetition) {
        long seed = 0x5eed_0000L + repetition.getCurrentRepetition();
        SplittableRandom random = new SplittableRandom(seed);
        Shown[] forgeries = Shown.values();
        int instances = 1 + random.nextInt(4);
        // which instances apply the write (the others are partitioned and never will)
        Map<String, Boolean> applies = new LinkedHashMap<>();
        for (int i = 0; i < instances; i++) {
            applies.put("checkout-" + i, random.nextInt(3) > 0);
        }
        Map<String, Boolean> notYet = new LinkedHashMap<>();
        applies.keySet().forEach(id -> notYet.put(id, false));
        // the forger only ever writes over instances that cannot speak for themselves
        Map<String, Shown> beforeShown = new LinkedHashMap<>();
        applies.forEach((id, applied) ->
                beforeShown.put(id, applied ? Shown.OWN : forgeries[random.nextInt(forgeries.length)]));
        FleetView before = view(beforeShown, notYet);
        List<FleetView> after = new ArrayList<>();
        for (int v = 1 + random.nextInt(4); v > 0; v--) {
            Map<String, Shown> shown = new LinkedHashMap<>();
            applies.forEach(
                    (id, applied) -> shown.put(id, applied ? Shown.OWN : forgeries[random.nextInt(forgeries.length)]));
            after.add(view(shown, applies));
        }

        FleetWait.Outcome outcome = await(before, after);

        boolean everyoneApplied = !applies.containsValue(false);
        assertThat(outcome.complete())
                .as(
                        "seed %d: %s before, applies %s; confirmed %s, unverified %s",
                        seed, beforeShown, applies, outcome.confirmed(), outcome.unverified())
                .isEqualTo(everyoneApplied);
        assertThat(outcome.confirmed())
                .as("seed %d: only the instances' own entries confirm", seed)
                .allSatisfy(
                        c -> assertThat(applies.get(c.instance().instance())).isTrue());
    }

    @Test
    void anInstanceHiddenUnderGarbageBeforeTheWriteIsWaitedForAndNamed() {
        FleetView before = view(
                Map.of("checkout-1", Shown.GARBAGE, "checkout-2", Shown.OWN),
                Map.of("checkout-1", false, "checkout-2", false));
        FleetView after = view(
                Map.of("checkout-1", Shown.GARBAGE, "checkout-2", Shown.OWN),
                Map.of("checkout-1", false, "checkout-2", true));

        FleetWait.Outcome outcome = await(before, List.of(after));

        assertThat(outcome.complete()).isFalse();
        assertThat(outcome.unverified()).containsEntry("checkout-1", "entry not believed: not a presence entry");
        assertThat(outcome.confirmed()).extracting(c -> c.instance().instance()).containsExactly("checkout-2");
    }
}
