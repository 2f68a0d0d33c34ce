package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flagstore.core.FlagNotFoundException;
import io.flagstore.core.InvalidFlagException;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.WeightedVariant;
import io.flagstore.redis.internal.KeySchema;
import io.flagstore.redis.internal.LuaScript;
import io.flagstore.redis.testing.DirectConnection;
import io.flagstore.redis.testing.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scheduled changes against a real Redis: exactly once under concurrent schedulers, in order, audited. */
class FlagSchedulerIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    private static final WriteOptions ALICE = WriteOptions.defaults().withActor("alice");

    private static RedisOptions freshNamespace() {
        return RedisOptions.builder()
                .uri(redis.uri())
                .namespace(redis.uniqueNamespace())
                .build();
    }

    private static List<WeightedVariant> onPercent(double percent) {
        return List.of(new WeightedVariant("on", percent), new WeightedVariant("off", 100 - percent));
    }

    private static List<AuditEntry> appliedBySchedule(FlagAdmin admin, String id) {
        return admin.history(10_000).stream()
                .filter(e -> e.reason() != null && e.reason().startsWith("scheduled:" + id + " "))
                .toList();
    }

    @Test
    void aScheduleOrSettleCallSentAgainAfterItsReplyWasLostCountsOnce() {
        RedisOptions options = freshNamespace();
        KeySchema keys = KeySchema.of(options.namespace());
        String id = "0123456789ab";
        String due = Long.toString(Instant.now().plusSeconds(3600).toEpochMilli());
        String[] scheduleKeys = {keys.scheduled(), keys.audit(), keys.schedule(id)};
        String[] schedule = {"alice", "", "100000", "1", id, due, "f", "{\"kind\":\"enable\",\"key\":\"f\"}"};
        String[] settleKeys = {keys.scheduled(), keys.schedule(id), keys.audit()};
        String[] cancel = {id, "cancelled", "schedule-cancel", "alice", "not needed", "100000", "60", "call-1"};
        DirectConnection.with(redis.uri(), c -> {
            Long created = LuaScript.SCHEDULE.run(c, ScriptOutputType.INTEGER, scheduleKeys, schedule);
            assertThat((Long) LuaScript.SCHEDULE.run(c, ScriptOutputType.INTEGER, scheduleKeys, schedule))
                    .as("the same call again")
                    .isEqualTo(created);
            String[] other = schedule.clone();
            other[7] = "{\"kind\":\"disable\",\"key\":\"f\"}";
            assertThatThrownBy(() -> LuaScript.SCHEDULE.run(c, ScriptOutputType.INTEGER, scheduleKeys, other))
                    .hasMessageContaining("FLAGSTORE_ID_TAKEN " + id);

            assertThat((Long) LuaScript.SETTLE_SCHEDULE.run(c, ScriptOutputType.INTEGER, settleKeys, cancel))
                    .isEqualTo(1);
            assertThat((Long) LuaScript.SETTLE_SCHEDULE.run(c, ScriptOutputType.INTEGER, settleKeys, cancel))
                    .as("the same call again")
                    .isEqualTo(1);
            String[] anotherCall = cancel.clone();
            anotherCall[7] = "call-2";
            assertThat((Long) LuaScript.SETTLE_SCHEDULE.run(c, ScriptOutputType.INTEGER, settleKeys, anotherCall))
                    .as("another call: no longer pending")
                    .isEqualTo(0);
            assertThat(c.xlen(keys.audit()))
                    .as("one entry for the schedule, one for the cancel")
                    .isEqualTo(2);
        });
    }

    @Test
    void fourConcurrentSchedulersApplyEachOfTwoHundredDueChangesExactlyOnce() throws Exception {
        RedisOptions options = freshNamespace();
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        int flags = 20;
        int count = 200;
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            Batch.Builder setup = Batch.builder();
            for (int i = 0; i < flags; i++) {
                setup.put(Flag.killSwitch("f" + i));
            }
            admin.apply(setup.build(), ALICE);
            FlagScheduler scheduler = new FlagScheduler(admin);
            Instant due = Instant.now().plusMillis(300);
            List<ScheduledChange> changes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = "f" + random.nextInt(flags);
                Instant at = due.plusMillis(i);
                changes.add(
                        switch (random.nextInt(4)) {
                            case 0 -> ScheduledChange.enable(key, at);
                            case 1 -> ScheduledChange.disable(key, at);
                            case 2 -> ScheduledChange.rollout(key, onPercent(random.nextInt(101)), at);
                            default -> ScheduledChange.batch(List.of(Flag.killSwitch("b" + i)), List.of(), at);
                        });
            }
            List<String> ids = scheduler.schedule(changes, ALICE);
            long versionBefore = admin.info().version();
            await().until(() -> Instant.now().isAfter(due.plusMillis(count)));

            List<List<ScheduleEntry>> settledPerScheduler = concurrently(options, 4, s -> {
                List<ScheduleEntry> mine = new ArrayList<>();
                List<ScheduleEntry> round;
                do {
                    round = s.runDue(Instant.now());
                    mine.addAll(round);
                } while (!round.isEmpty());
                return mine;
            });

            Map<String, Integer> appliedCount = new HashMap<>();
            settledPerScheduler.forEach(list -> list.forEach(e -> {
                assertThat(e.state()).as("seed %d: %s", seed, e).isEqualTo(ScheduleEntry.State.APPLIED);
                appliedCount.merge(e.id(), 1, Integer::sum);
            }));
            assertThat(appliedCount).as("seed %d", seed).hasSize(count).allSatisfy((id, n) -> assertThat(n)
                    .isEqualTo(1));
            assertThat(admin.info().version()).as("seed %d", seed).isEqualTo(versionBefore + count);
            assertThat(scheduler.scheduled()).isEmpty();
            List<AuditEntry> applied = admin.history(10_000).stream()
                    .filter(e -> e.reason() != null && e.reason().startsWith("scheduled:"))
                    .toList();
            assertThat(applied).as("seed %d", seed).hasSize(count);
            // each id once, in due order (ascending versions)
            List<String> order = new ArrayList<>();
            for (int i = applied.size() - 1; i >= 0; i--) {
                order.add(
                        applied.get(i).reason().substring("scheduled:".length()).split(" ")[0]);
            }
            assertThat(order).as("seed %d", seed).containsExactlyElementsOf(ids);
            for (String id : ids) {
                ScheduleEntry entry = scheduler.get(id).orElseThrow();
                assertThat(entry.state()).isEqualTo(ScheduleEntry.State.APPLIED);
                assertThat(entry.appliedVersion()).isGreaterThan(versionBefore);
                assertThat(entry.actor()).isEqualTo("alice");
            }
        }
    }

    @Test
    void aCancelledChangeNeverAppliesAndIsAudited() {
        RedisOptions options = freshNamespace();
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch("a"), ALICE);
            admin.create(Flag.killSwitch("b"), ALICE);
            FlagScheduler scheduler = new FlagScheduler(admin);
            Instant due = Instant.now().plusMillis(200);
            String kept = scheduler.schedule(ScheduledChange.disable("a", due), ALICE.withReason("night"));
            String cancelled = scheduler.schedule(ScheduledChange.disable("b", due), ALICE);

            ScheduleEntry entry = scheduler.cancel(
                    cancelled, WriteOptions.defaults().withActor("bob").withReason("no"));

            assertThat(entry.state()).isEqualTo(ScheduleEntry.State.CANCELLED);
            assertThat(entry.settledBy()).isEqualTo("bob");
            assertThat(scheduler.scheduled()).extracting(ScheduleEntry::id).containsExactly(kept);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !scheduler.runDue(Instant.now()).isEmpty());
            assertThat(scheduler.runDue(Instant.now().plusSeconds(3600))).isEmpty();
            assertThat(admin.get("a").orElseThrow().enabled()).isFalse();
            assertThat(admin.get("b").orElseThrow().enabled()).isTrue();
            assertThat(appliedBySchedule(admin, cancelled)).isEmpty();
            assertThat(appliedBySchedule(admin, kept)).singleElement().satisfies(e -> {
                assertThat(e.op()).isEqualTo("disable");
                assertThat(e.actor()).isEqualTo("alice");
                assertThat(e.reason()).matches("scheduled:" + kept + " \\(due .*, \\d+\\.\\ds late\\): night");
            });
            assertThat(admin.history("b", 10))
                    .extracting(AuditEntry::op)
                    .containsExactly("cancel-schedule", "schedule", "create");
            assertThatThrownBy(() -> scheduler.cancel(cancelled, ALICE))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already cancelled");
            assertThatThrownBy(() -> scheduler.cancel(kept, ALICE)).hasMessageContaining("already applied");
            assertThatThrownBy(() -> scheduler.cancel("nope", ALICE)).isInstanceOf(FlagNotFoundException.class);
        }
    }

    @Test
    void aRampAppliesItsStepsInOrderAtTheirTimes() throws Exception {
        RedisOptions options = freshNamespace();
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch("checkout"), ALICE);
            FlagScheduler scheduler = new FlagScheduler(admin);
            Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            TreeMap<Instant, Double> steps = new TreeMap<>(
                    Map.of(start.plusMillis(500), 10.0, start.plusMillis(1000), 50.0, start.plusMillis(1500), 100.0));
            List<String> ids = scheduler.schedule(ScheduledChange.ramp("checkout", "on", "off", steps), ALICE);
            assertThat(scheduler.scheduled())
                    .extracting(e -> e.change().due())
                    .containsExactlyElementsOf(steps.keySet());

            AtomicBoolean stop = new AtomicBoolean();
            List<ScheduleEntry> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread daemon = new Thread(() -> {
                try (FlagAdmin own = FlagAdmin.connect(options)) {
                    FlagScheduler s = new FlagScheduler(own);
                    while (!stop.get()) {
                        applied.addAll(s.runDue(Instant.now()));
                        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                    }
                }
            });
            daemon.start();
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> applied.size() == 3);
            } finally {
                stop.set(true);
                daemon.join(5_000);
            }
            assertThat(applied).extracting(ScheduleEntry::id).containsExactlyElementsOf(ids);
            List<Instant> dues = new ArrayList<>(steps.keySet());
            for (int i = 0; i < 3; i++) {
                assertThat(applied.get(i).settledAt())
                        .isAfterOrEqualTo(dues.get(i).minusMillis(5));
            }
            assertThat(applied).extracting(ScheduleEntry::appliedVersion).isSorted();
            assertThat(admin.history("checkout", 10).stream()
                            .filter(e -> e.op().equals("setRollout"))
                            .map(e -> e.after()
                                    .get(0)
                                    .fallthrough()
                                    .rollout()
                                    .variants()
                                    .get(0)
                                    .weight())
                            .toList())
                    .containsExactly(100.0, 50.0, 10.0);
        }
    }

    @Test
    void invalidChangesAreRefusedAtScheduleTimeWithNothingWritten() {
        RedisOptions options = freshNamespace();
        KeySchema keys = KeySchema.of(options.namespace());
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch("checkout"), ALICE);
            FlagScheduler scheduler = new FlagScheduler(admin);
            Instant due = Instant.now().plusSeconds(60);
            long auditBefore = admin.history(100).size();

            assertThatThrownBy(() -> scheduler.schedule(ScheduledChange.enable("missing", due), ALICE))
                    .isInstanceOf(FlagNotFoundException.class);
            assertThatThrownBy(() -> scheduler.schedule(
                            ScheduledChange.rollout("checkout", List.of(new WeightedVariant("on", 90)), due), ALICE))
                    .isInstanceOf(InvalidFlagException.class);
            assertThatThrownBy(() -> scheduler.schedule(
                            List.of(
                                    ScheduledChange.enable("checkout", due),
                                    ScheduledChange.rollout(
                                            "checkout", onPercent(10).subList(0, 1), due)),
                            ALICE))
                    .isInstanceOf(InvalidFlagException.class);
            assertThatThrownBy(() -> scheduler.schedule(
                            ScheduledChange.rollout(
                                    "checkout",
                                    List.of(new WeightedVariant("on", 50), new WeightedVariant("maybe", 50)),
                                    due),
                            ALICE))
                    .isInstanceOf(InvalidFlagException.class)
                    .hasMessageContaining("maybe");
            assertThatThrownBy(() -> scheduler.schedule(
                            ScheduledChange.enable("checkout", Instant.now().minusSeconds(1)), ALICE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("in the past");
            assertThatThrownBy(() -> ScheduledChange.ramp("checkout", "on", "off", new TreeMap<>(Map.of(due, 120.0))))
                    .hasMessageContaining("0 to 100 percent, not 120");

            assertThat(scheduler.scheduled()).isEmpty();
            assertThat(admin.history(100)).hasSize((int) auditBefore);
            try (RedisClient client = RedisClient.create(redis.uri());
                    StatefulRedisConnection<String, String> c = client.connect()) {
                assertThat(c.sync().keys(keys.prefix() + "schedule*")).isEmpty();
            }
        }
    }

    @Test
    void aChangeThatNoLongerFitsFailsOnceWithTheErrorAndIsNotRetried() {
        RedisOptions options = freshNamespace();
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch("old"), ALICE);
            FlagScheduler scheduler = new FlagScheduler(admin);
            String id = scheduler.schedule(
                    ScheduledChange.disable("old", Instant.now().plusMillis(100)), ALICE);
            admin.delete("old", ALICE);
            long version = admin.info().version();

            List<ScheduleEntry> settled = scheduler.runDue(Instant.now().plusSeconds(1));

            assertThat(settled).singleElement().satisfies(e -> {
                assertThat(e.state()).isEqualTo(ScheduleEntry.State.FAILED);
                assertThat(e.detail()).contains("old");
            });
            assertThat(scheduler.runDue(Instant.now().plusSeconds(3600))).isEmpty();
            assertThat(admin.info().version()).isEqualTo(version);
            assertThat(admin.history("old", 10)).extracting(AuditEntry::op).startsWith("schedule-failed", "delete");
            assertThat(scheduler.get(id).orElseThrow().state()).isEqualTo(ScheduleEntry.State.FAILED);
        }
    }

    @Test
    void changesDueWhileNoSchedulerRanApplyLateWithTheDelayInTheAuditReason() {
        RedisOptions options = freshNamespace();
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch("promo"), ALICE);
            FlagScheduler scheduler = new FlagScheduler(admin);
            Instant due = Instant.now().plusMillis(100);
            String id = scheduler.schedule(ScheduledChange.disable("promo", due), ALICE);
            await().until(() -> Instant.now().isAfter(due.plusMillis(1200)));

            assertThat(scheduler.runDue(Instant.now()))
                    .extracting(ScheduleEntry::id)
                    .containsExactly(id);

            String reason = appliedBySchedule(admin, id).get(0).reason();
            double late = Double.parseDouble(reason.replaceAll(".*, (\\d+\\.\\d)s late\\).*", "$1"));
            assertThat(late).as(reason).isGreaterThanOrEqualTo(1.2);
            assertThat(admin.get("promo").orElseThrow().enabled()).isFalse();
        }
    }

    private static <T> List<T> concurrently(RedisOptions options, int threads, SchedulerTask<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<T>> tasks = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                tasks.add(() -> {
                    try (FlagAdmin admin = FlagAdmin.connect(options)) {
                        return work.run(new FlagScheduler(admin));
                    }
                });
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(tasks)) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private interface SchedulerTask<T> {
        T run(FlagScheduler scheduler);
    }
}
