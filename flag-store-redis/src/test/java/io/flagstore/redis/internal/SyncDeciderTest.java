package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.internal.SyncDecider.Action;
import io.flagstore.redis.internal.SyncDecider.Apply;
import io.flagstore.redis.internal.SyncDecider.BadMessage;
import io.flagstore.redis.internal.SyncDecider.Disconnected;
import io.flagstore.redis.internal.SyncDecider.Failed;
import io.flagstore.redis.internal.SyncDecider.Head;
import io.flagstore.redis.internal.SyncDecider.HeldFacts;
import io.flagstore.redis.internal.SyncDecider.Hint;
import io.flagstore.redis.internal.SyncDecider.Notice;
import io.flagstore.redis.internal.SyncDecider.Read;
import io.flagstore.redis.internal.SyncDecider.Subscribed;
import io.flagstore.redis.internal.SyncDecider.Unsubscribed;
import io.flagstore.redis.internal.SyncDecider.Verdict;
import io.flagstore.redis.internal.SyncState.Held;
import io.flagstore.redis.internal.SyncState.Owed;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The read side's decisions without Redis: a clock that tests advance ({@link #now}), inputs as a
 * source would see them, and the steps and verdicts that follow.
 */
class SyncDeciderTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long RECONCILE = 5 * SECOND;
    private static final String EPOCH = "e1";
    private static final HeldFacts NOTHING_RECENT = facts(false, true);

    private final SyncDecider decider = new SyncDecider("ns", RECONCILE);
    private long now = 1_000 * SECOND;
    private long wall = 1_800_000_000_000L;

    private static HeldFacts facts(boolean writtenSince, boolean matches) {
        return new HeldFacts() {
            @Override
            public boolean writtenSince(long version, long sinceMillis) {
                return writtenSince;
            }

            @Override
            public boolean matchesRedis() {
                return matches;
            }
        };
    }

    private SyncState on(SyncState s, SyncDecider.Input input) {
        return decider.on(s, input, now, wall);
    }

    private Verdict read(SyncState s, long version, String epoch, boolean full) {
        return decider.onRead(s, new Read(version, epoch, "write", full, false, NOTHING_RECENT));
    }

    /** A source that loaded version {@code version} of {@link #EPOCH} while subscribed. */
    private SyncState following(long version) {
        SyncState s = on(decider.start(now), new Subscribed());
        assertThat(decider.next(s, now).action()).isEqualTo(Action.FULL);
        return read(s, version, EPOCH, true).state();
    }

    // ---- start ----------------------------------------------------------------------------------

    @Test
    void theFirstLoadWaitsForTheSubscription() {
        SyncState s = decider.start(now);
        assertThat(decider.next(s, now).action()).isEqualTo(Action.WAIT);
        assertThat(s.report()).isEqualTo(SourceState.INITIALIZING);

        s = on(s, new Subscribed());

        assertThat(decider.next(s, now).action()).isEqualTo(Action.FULL);
    }

    @Test
    void aLoadWhileSubscribedIsValidAndOwesNothing() {
        SyncState s = following(7);
        assertThat(s.report()).isEqualTo(SourceState.VALID);
        assertThat(s.owed()).isEqualTo(Owed.NONE);
        assertThat(s.version()).isEqualTo(7);
        Verdict first = read(on(decider.start(now), new Subscribed()), 7, EPOCH, true);
        assertThat(first.apply()).isEqualTo(Apply.RELOAD);
        assertThat(decider.next(s, now).action()).isEqualTo(Action.WAIT);
        assertThat(decider.next(s, now).until()).isEqualTo(now + RECONCILE);
    }

    @Test
    void theHeadIsCheckedEveryReconcileInterval() {
        SyncState s = following(7);
        now += RECONCILE;
        assertThat(decider.next(s, now).action()).isEqualTo(Action.HEAD);

        s = on(s, new Head(7, EPOCH, "write"));

        assertThat(decider.next(s, now).action()).isEqualTo(Action.WAIT);
        assertThat(decider.next(s, now).until()).isEqualTo(now + RECONCILE);
    }

    // ---- messages are hints ----------------------------------------------------------------------

    @Test
    void aMessageForTheNextVersionCausesACatchUpNeverAnApply() {
        SyncState s = following(7);

        s = on(s, new Hint(8, EPOCH));

        assertThat(decider.next(s, now).action()).isEqualTo(Action.CATCH_UP);
        assertThat(s.version()).as("nothing applied from the message").isEqualTo(7);
        Verdict v = read(s, 8, EPOCH, false);
        assertThat(v.apply()).isEqualTo(Apply.CATCH_UP);
        assertThat(v.path()).isEqualTo("push");
        assertThat(v.state().version()).isEqualTo(8);
    }

    @Test
    void aForgedNextVersionReadsOnceAndAppliesNothingNew() {
        SyncState s = on(following(7), new Hint(8, EPOCH));

        Verdict v = read(s, 7, EPOCH, false); // Redis is still at 7: the message was forged

        assertThat(v.state().version()).isEqualTo(7);
        assertThat(v.state().owed()).isEqualTo(Owed.NONE);
        assertThat(decider.next(v.state(), now).action()).isEqualTo(Action.WAIT);
    }

    @Test
    void oldAndCurrentVersionsAreIgnored() {
        SyncState s = following(7);
        assertThat(on(s, new Hint(7, EPOCH))).isEqualTo(s);
        assertThat(on(s, new Hint(3, EPOCH))).isEqualTo(s);
    }

    @Test
    void aGapIsJustANewerVersion() {
        SyncState s = on(following(7), new Hint(12, EPOCH));
        assertThat(decider.next(s, now).action()).isEqualTo(Action.CATCH_UP);
    }

    @Test
    void anotherEpochOnlyAsksForTheHead() {
        SyncState s = on(following(7), new Hint(1, "e2"));

        assertThat(decider.next(s, now).action()).isEqualTo(Action.HEAD);
        s = on(s, new Head(7, EPOCH, "write")); // the real head: the message lied
        assertThat(decider.next(s, now).action()).isEqualTo(Action.WAIT);
    }

    @Test
    void aHeadInANewSeededEpochLeadsToAFullReload() {
        SyncState s = on(following(7), new Head(2, "e2", "seed"));
        assertThat(decider.next(s, now).action()).isEqualTo(Action.FULL);

        Verdict v = decider.onRead(s, new Read(2, "e2", "seed", true, false, NOTHING_RECENT));

        assertThat(v.apply()).isEqualTo(Apply.RELOAD);
        assertThat(v.notice()).isEqualTo(Notice.RESEEDED);
        assertThat(v.state().epoch()).isEqualTo("e2");
    }

    @Test
    void anUndecodableMessageCausesACatchUp() {
        SyncState s = on(following(7), new BadMessage());
        assertThat(decider.next(s, now).action()).isEqualTo(Action.CATCH_UP);
        assertThat(read(s, 7, EPOCH, false).path()).isEqualTo("catchup");
    }

    @Test
    void aCatchUpInANewEpochIsReadAgainWhole() {
        SyncState s = on(following(7), new Hint(8, EPOCH));
        Verdict v = decider.onRead(s, new Read(3, "e2", "seed", false, false, NOTHING_RECENT));
        assertThat(v.apply()).isEqualTo(Apply.NOTHING);
        assertThat(decider.next(v.state(), now).action()).isEqualTo(Action.FULL);
    }

    // ---- data loss ------------------------------------------------------------------------------

    @Test
    void anEmptiedNamespaceIsAResetNotAMassDeletion() {
        SyncState s = on(following(7), new Head(0, "", ""));
        Verdict v = read(s, 0, "", true);
        assertThat(v.apply()).isEqualTo(Apply.NOTHING);
        assertThat(v.state().report()).isEqualTo(SourceState.NAMESPACE_RESET);
        assertThat(v.state().resetWhy()).contains("empty");
        assertThat(v.state().version()).isEqualTo(7);
    }

    @Test
    void aResetHoldsUntilReseededThenReloads() {
        SyncState s = on(following(7), new Head(0, "", ""));
        s = read(s, 0, "", true).state();

        s = on(s, new Head(1, "e2", "write")); // an ordinary write into the emptied namespace
        assertThat(s.report()).isEqualTo(SourceState.NAMESPACE_RESET);
        assertThat(s.resetWhy()).contains("not re-seeded");
        s = on(s, new Hint(2, "e2"));
        assertThat(decider.next(s, now).action())
                .as("a message in reset: the head decides")
                .isEqualTo(Action.HEAD);

        s = on(s, new Head(3, "e3", "seed"));
        assertThat(decider.next(s, now).action()).isEqualTo(Action.FULL);
        Verdict v = decider.onRead(s, new Read(3, "e3", "seed", true, false, NOTHING_RECENT));
        assertThat(v.apply()).isEqualTo(Apply.RELOAD);
        assertThat(v.state().report()).isEqualTo(SourceState.VALID);
    }

    @Test
    void aNamespaceThatWentBackIsAReset() {
        SyncState s = on(following(7), new Head(5, EPOCH, "write"));
        Verdict v = read(s, 5, EPOCH, false);
        assertThat(v.apply()).isEqualTo(Apply.NOTHING);
        assertThat(v.state().resetWhy()).contains("went back");
    }

    @Test
    void writesLostInAFailoverAreFollowedWithAFullReload() {
        SyncState s = on(following(7), new Disconnected("down"));
        s = on(s, new Subscribed());
        assertThat(decider.next(s, now).action()).isEqualTo(Action.VERIFIED_CATCH_UP);

        Verdict v = decider.onRead(s, new Read(5, EPOCH, "write", false, true, facts(true, false)));
        assertThat(v.apply()).isEqualTo(Apply.NOTHING);
        assertThat(decider.next(v.state(), now).action()).isEqualTo(Action.FULL);

        v = decider.onRead(v.state(), new Read(5, EPOCH, "write", true, false, facts(true, false)));
        assertThat(v.apply()).isEqualTo(Apply.RELOAD);
        assertThat(v.notice()).isEqualTo(Notice.FOLLOWED_FAILOVER);
        assertThat(v.state().version()).isEqualTo(5);
        assertThat(v.state().verify()).isFalse();
    }

    @Test
    void oldWritesMissingAfterAReconnectAreAReset() {
        SyncState s = on(on(following(7), new Disconnected("down")), new Subscribed());
        Verdict v = decider.onRead(s, new Read(5, EPOCH, "write", false, true, facts(false, false)));
        assertThat(v.state().report()).isEqualTo(SourceState.NAMESPACE_RESET);
    }

    // ---- reconnects -----------------------------------------------------------------------------

    @Test
    void aReconnectThatMissedNothingIsAVerifiedCatchUp() {
        SyncState s = on(following(7), new Disconnected("down"));
        assertThat(s.report()).isEqualTo(SourceState.STALE);
        assertThat(s.reportDetail("")).contains("down").contains("serving version 7");
        s = on(s, new Subscribed());

        assertThat(decider.next(s, now).action()).isEqualTo(Action.VERIFIED_CATCH_UP);
        Verdict v = decider.onRead(s, new Read(9, EPOCH, "write", false, true, facts(false, true)));
        assertThat(v.apply()).isEqualTo(Apply.CATCH_UP);
        assertThat(v.state().verify()).isFalse();
        assertThat(v.state().report()).isEqualTo(SourceState.VALID);
    }

    @Test
    void aReconnectToAnotherTimelineReadsEverythingVerified() {
        SyncState s = on(on(following(7), new Disconnected("down")), new Subscribed());

        Verdict v = decider.onRead(s, new Read(9, EPOCH, "write", false, true, facts(false, false)));

        assertThat(v.apply()).isEqualTo(Apply.NOTHING);
        assertThat(decider.next(v.state(), now).action()).isEqualTo(Action.FULL);
        v = decider.onRead(v.state(), new Read(9, EPOCH, "write", true, false, facts(false, false)));
        assertThat(v.apply()).isEqualTo(Apply.VERIFIED_RELOAD);
    }

    @Test
    void anUnsubscribedSourceStillCatchesUpButStaysAsItWas() {
        SyncState s = on(following(7), new Unsubscribed());
        s = on(s, new Hint(8, EPOCH));
        assertThat(decider.next(s, now).action()).isEqualTo(Action.CATCH_UP);
        Verdict v = read(s, 8, EPOCH, false);
        assertThat(v.state().report()).isEqualTo(SourceState.VALID);
    }

    // ---- failures -------------------------------------------------------------------------------

    @Test
    void aFailedReadBacksOffThenRetries() {
        SyncState s = on(following(7), new Hint(8, EPOCH));
        s = on(s, new Failed("timeout", true, 2 * SECOND));

        assertThat(s.report()).isEqualTo(SourceState.STALE);
        assertThat(decider.next(s, now).action()).isEqualTo(Action.WAIT);
        assertThat(decider.next(s, now).until()).isEqualTo(now + 2 * SECOND);
        now += 2 * SECOND;
        assertThat(decider.next(s, now).action()).isEqualTo(Action.CATCH_UP);
        Verdict v = read(s, 8, EPOCH, false);
        assertThat(v.state().report()).isEqualTo(SourceState.VALID);
        assertThat(v.state().outage()).isNull();
    }

    @Test
    void aNewSubscriptionEndsTheBackoff() {
        SyncState s = on(on(following(7), new Hint(8, EPOCH)), new Failed("timeout", true, 20 * SECOND));
        s = on(s, new Subscribed());
        assertThat(decider.next(s, now).action()).isEqualTo(Action.CATCH_UP);
    }

    @Test
    void aFailedHeadIsStaleAndTriedAgainNextInterval() {
        SyncState s = following(7);
        now += RECONCILE;
        s = on(s, new Failed("timeout", false, 0));
        assertThat(s.report()).isEqualTo(SourceState.STALE);
        assertThat(decider.next(s, now).until()).isEqualTo(now + RECONCILE);
    }

    @Test
    void aBackupIsStaleFromTheFirstMomentAndOwesAFullLoad() {
        SyncState s = on(decider.start(now), new Failed("refused", false, 0));
        assertThat(SyncDecider.backupWanted(s)).isTrue();

        s = decider.onBackup(s, 4, EPOCH);

        assertThat(s.held()).isEqualTo(Held.BACKUP);
        assertThat(s.report()).isEqualTo(SourceState.STALE);
        assertThat(s.reportDetail("serving the backup")).contains("refused").contains("serving the backup");
        assertThat(SyncDecider.backupWanted(s)).isFalse();
        s = on(s, new Subscribed());
        assertThat(decider.next(s, now).action()).isEqualTo(Action.FULL);
        s = on(s, new Head(4, EPOCH, "write"));
        assertThat(s.report()).as("a head is not a load").isEqualTo(SourceState.STALE);
        Verdict v = read(s, 6, EPOCH, true);
        assertThat(v.apply()).isEqualTo(Apply.RELOAD);
        assertThat(v.state().report()).isEqualTo(SourceState.VALID);
        assertThat(v.path()).isEqualTo("reload");
    }

    @Test
    void aBackupNewerThanAnEmptiedNamespaceIsServedAsAReset() {
        SyncState s = decider.onBackup(on(decider.start(now), new Subscribed()), 4, EPOCH);
        Verdict v = read(s, 0, "", true);
        assertThat(v.state().report()).isEqualTo(SourceState.NAMESPACE_RESET);
        assertThat(v.state().version()).isEqualTo(4);
    }

    // ---- invariants over random runs -------------------------------------------------------------

    /**
     * Random inputs, reads answered by a simulated Redis whose version mostly grows, sometimes goes
     * back or changes epoch; messages are true or forged. Invariants: a read is never applied as a
     * lower version of the held epoch (unless following a failover); a message newer than held always
     * leads to a read; VALID is never reported on a backup, in a reset or during an outage; a message
     * alone never changes what is held.
     */
    @Test
    void invariantsHoldOverRandomRuns() {
        long seed = Long.getLong("flagstore.decider.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        for (int run = 0; run < 300; run++) {
            SyncState s = decider.start(now);
            long redisVersion = random.nextInt(5);
            String redisEpoch = "e0";
            for (int step = 0; step < 200; step++) {
                String where = "seed " + seed + ", run " + run + ", step " + step + ": " + s;
                now += random.nextLong(SECOND);
                wall += random.nextLong(1000);
                int what = random.nextInt(100);
                if (what < 10) {
                    redisVersion += 1 + random.nextInt(3);
                } else if (what < 12) {
                    redisVersion = Math.max(0, redisVersion - 1 - random.nextInt(3)); // lost writes
                } else if (what < 13) {
                    redisEpoch = "e" + random.nextInt(3);
                    redisVersion = random.nextInt(5);
                }
                SyncDecider.Input input =
                        switch (random.nextInt(9)) {
                            case 0 -> new Subscribed();
                            case 1 -> new Disconnected("down");
                            case 2 -> new Unsubscribed();
                            case 3 -> new Hint(redisVersion, redisEpoch);
                            case 4 -> new Hint(random.nextLong(1, 20), random.nextBoolean() ? redisEpoch : "forged");
                            case 5 -> new BadMessage();
                            case 6 -> new Head(redisVersion, redisEpoch, random.nextBoolean() ? "seed" : "write");
                            case 7 -> new Failed("x", random.nextBoolean(), random.nextLong(SECOND));
                            default -> null;
                        };
                if (input != null) {
                    SyncState next = on(s, input);
                    assertThat(next.version())
                            .as(where + ": inputs never change the held version")
                            .isEqualTo(s.version());
                    assertThat(next.held()).as(where).isEqualTo(s.held());
                    if (input instanceof Hint h
                            && s.held() == Held.REDIS
                            && !s.reset()
                            && h.epoch().equals(s.epoch())
                            && h.version() > s.version()) {
                        assertThat(next.owed())
                                .as(where + ": a newer version owes a read")
                                .isIn(Owed.CATCH_UP, Owed.FULL);
                        assertThat(decider.next(next, Math.max(now, next.retryAtNanos()))
                                        .action())
                                .as(where + ": and leads to one")
                                .isIn(Action.CATCH_UP, Action.VERIFIED_CATCH_UP, Action.FULL);
                    }
                    s = next;
                }
                Action action = decider.next(s, now).action();
                if (action == Action.CATCH_UP || action == Action.VERIFIED_CATCH_UP || action == Action.FULL) {
                    boolean full = action == Action.FULL || random.nextInt(10) == 0;
                    Read r = new Read(
                            redisVersion,
                            redisEpoch,
                            random.nextBoolean() ? "seed" : "write",
                            full,
                            action == Action.VERIFIED_CATCH_UP && !full,
                            facts(random.nextBoolean(), random.nextBoolean()));
                    Verdict v = decider.onRead(s, r);
                    if (v.apply() != Apply.NOTHING) {
                        if (s.version() > 0 && r.epoch().equals(s.epoch()) && r.version() < s.version()) {
                            assertThat(v.notice())
                                    .as(where + ": lower version applied only to follow a failover")
                                    .isEqualTo(Notice.FOLLOWED_FAILOVER);
                            assertThat(v.apply()).as(where).isEqualTo(Apply.RELOAD);
                        }
                        if (v.apply() == Apply.CATCH_UP) {
                            assertThat(r.full()).as(where).isFalse();
                        }
                        assertThat(v.state().version()).as(where).isEqualTo(r.version());
                        assertThat(v.state().held()).isEqualTo(Held.REDIS);
                    } else {
                        assertThat(v.state().version())
                                .as(where + ": nothing applied")
                                .isEqualTo(s.version());
                    }
                    s = v.state();
                } else if (action == Action.HEAD) {
                    s = on(s, new Head(redisVersion, redisEpoch, "write"));
                }
                if (s.report() == SourceState.VALID) {
                    assertThat(s.held()).as(where).isEqualTo(Held.REDIS);
                    assertThat(s.outage()).as(where).isNull();
                    assertThat(s.reset()).as(where).isFalse();
                }
            }
        }
    }
}
