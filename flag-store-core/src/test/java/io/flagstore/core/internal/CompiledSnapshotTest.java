package io.flagstore.core.internal;

import static io.flagstore.core.internal.TestFlags.bool;
import static io.flagstore.core.internal.TestFlags.clause;
import static io.flagstore.core.internal.TestFlags.ctx;
import static io.flagstore.core.internal.TestFlags.delete;
import static io.flagstore.core.internal.TestFlags.inSegment;
import static io.flagstore.core.internal.TestFlags.prerequisite;
import static io.flagstore.core.internal.TestFlags.rule;
import static io.flagstore.core.internal.TestFlags.segment;
import static io.flagstore.core.internal.TestFlags.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.ErrorKind;
import io.flagstore.core.Reason;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Operator;
import io.flagstore.core.model.Segment;
import io.flagstore.core.model.Serve;
import io.flagstore.core.spi.FlagData;
import io.flagstore.core.spi.FlagUpdate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompiledSnapshotTest {
    private static final Instant WRITTEN = Instant.parse("2026-11-25T12:00:00Z");

    private static CompiledSnapshot loaded(long version, Flag... flags) {
        return CompiledSnapshot.of(new FlagData(
                version,
                java.util.Arrays.stream(flags).collect(java.util.stream.Collectors.toMap(Flag::key, f -> f)),
                Map.of()));
    }

    private static Object value(CompiledSnapshot snapshot, String key) {
        return snapshot.evaluate(key, ctx("u")).value();
    }

    @Test
    void emptySnapshotHasNothing() {
        CompiledSnapshot empty = CompiledSnapshot.empty();

        assertThat(empty.version()).isZero();
        assertThat(empty.flags()).isEmpty();
        assertThat(empty.segments()).isEmpty();
        assertThat(empty.flag("x")).isNull();
    }

    @Test
    void fullLoadExposesFlagsAndVersion() {
        Flag a = bool("a").version(3).build();
        CompiledSnapshot snapshot = loaded(5, a);

        assertThat(snapshot.version()).isEqualTo(5);
        assertThat(snapshot.flags()).containsExactly(Map.entry("a", a));
        assertThat(snapshot.flag("a")).isSameAs(a);
    }

    @Test
    void newerUpsertReplacesAndAdvancesVersion() {
        CompiledSnapshot before = loaded(5, bool("a").version(3).build());

        CompiledSnapshot after =
                before.apply(upsert(6, bool("a").enabled(false).version(6).build()));

        assertThat(after.version()).isEqualTo(6);
        assertThat(value(after, "a")).isEqualTo(false);
        assertThat(value(before, "a")).as("the old snapshot is unchanged").isEqualTo(true);
    }

    @Test
    void upsertNotNewerThanHeldVersionIsIgnored() {
        CompiledSnapshot snapshot = loaded(5, bool("a").version(3).build())
                .apply(upsert(8, bool("a").version(8).build()));

        CompiledSnapshot stale =
                snapshot.apply(upsert(7, bool("a").enabled(false).version(7).build()));
        CompiledSnapshot replay =
                snapshot.apply(upsert(8, bool("a").enabled(false).version(8).build()));

        assertThat(value(stale, "a")).isEqualTo(true);
        assertThat(value(replay, "a")).isEqualTo(true);
        assertThat(stale.version()).isEqualTo(8);
    }

    @Test
    void writesOlderThanTheFullLoadAreIgnoredEvenForUnknownKeys() {
        CompiledSnapshot snapshot = loaded(10, bool("a").version(2).build());

        CompiledSnapshot after = snapshot.apply(new FlagUpdate(
                9,
                List.of(
                        bool("late").version(9).build(),
                        bool("a").enabled(false).version(9).build()),
                List.of(),
                List.of(),
                List.of(),
                WRITTEN));

        assertThat(after.flags()).containsOnlyKeys("a");
        assertThat(value(after, "a")).isEqualTo(true);
        assertThat(after.version()).isEqualTo(10);
    }

    @Test
    void deleteLeavesATombstoneSoLateUpsertsCannotResurrect() {
        CompiledSnapshot snapshot = loaded(5, bool("a").version(3).build()).apply(delete(7, "a"));

        CompiledSnapshot late = snapshot.apply(upsert(6, bool("a").version(6).build()));

        assertThat(snapshot.flag("a")).isNull();
        assertThat(late.flag("a")).isNull();
        assertThat(late.evaluate("a", ctx("u")).detail().errorKind()).isEqualTo(ErrorKind.FLAG_NOT_FOUND);
        assertThat(late.apply(upsert(8, bool("a").version(8).build())).flag("a"))
                .isNotNull();
    }

    @Test
    void staleDeleteIsIgnored() {
        CompiledSnapshot snapshot = loaded(5, bool("a").version(3).build())
                .apply(upsert(8, bool("a").version(8).build()));

        assertThat(snapshot.apply(delete(7, "a")).flag("a")).isNotNull();
    }

    @Test
    void itemWithoutVersionTakesTheUpdatesVersionAndTime() {
        CompiledSnapshot snapshot = loaded(5)
                .apply(new FlagUpdate(
                        6,
                        List.of(bool("a").build()),
                        List.of(),
                        List.of(segment("s", List.of(), List.of(), List.of())),
                        List.of(),
                        WRITTEN));

        assertThat(snapshot.flag("a").version()).isEqualTo(6);
        assertThat(snapshot.flag("a").updatedAt()).isEqualTo(WRITTEN);
        assertThat(snapshot.segments().get("s").version()).isEqualTo(6);
        assertThat(snapshot.evaluate("a", ctx("u")).detail().flagVersion()).isEqualTo(6);
    }

    @Test
    void unchangedFlagsKeepTheirResultObjects() {
        CompiledSnapshot before = loaded(5, bool("a").build(), bool("b").build());
        EvalResult a = before.evaluate("a", ctx("u"));
        a.recorderSlot = "counter";

        CompiledSnapshot after =
                before.apply(upsert(6, bool("b").enabled(false).version(6).build()));

        assertThat(after.evaluate("a", ctx("u"))).isSameAs(a);
        assertThat(after.evaluate("a", ctx("u")).recorderSlot).isEqualTo("counter");
    }

    @Test
    void changedPrerequisiteRecompilesItsDependentsTransitively() {
        Flag c = bool("c").build();
        Flag b = bool("b").prerequisite(prerequisite("c", "on")).build();
        Flag a = bool("a").prerequisite(prerequisite("b", "on")).build();
        CompiledSnapshot before = loaded(5, a, b, c);
        assertThat(before.evaluate("a", ctx("u")).detail().reason()).isEqualTo(Reason.FALLTHROUGH);

        CompiledSnapshot after =
                before.apply(upsert(6, bool("c").enabled(false).version(6).build()));

        assertThat(after.evaluate("b", ctx("u")).detail().reason()).isEqualTo(Reason.PREREQUISITE_FAILED);
        assertThat(after.evaluate("a", ctx("u")).detail().reason()).isEqualTo(Reason.PREREQUISITE_FAILED);
        assertThat(before.evaluate("a", ctx("u")).detail().reason()).isEqualTo(Reason.FALLTHROUGH);
    }

    @Test
    void prerequisiteAddedLaterIsLinked() {
        Flag a = bool("a").prerequisite(prerequisite("b", "on")).build();
        CompiledSnapshot before = loaded(5, a);
        assertThat(before.evaluate("a", ctx("u")).detail().reason()).isEqualTo(Reason.PREREQUISITE_FAILED);

        CompiledSnapshot after = before.apply(upsert(6, bool("b").version(6).build()));

        assertThat(after.evaluate("a", ctx("u")).detail().reason()).isEqualTo(Reason.FALLTHROUGH);
        assertThat(after.apply(delete(7, "b")).evaluate("a", ctx("u")).detail().reason())
                .isEqualTo(Reason.PREREQUISITE_FAILED);
    }

    @Test
    void cycleIntroducedByAnUpdateIsMalformed() {
        CompiledSnapshot before = loaded(
                5,
                bool("a").prerequisite(prerequisite("b", "on")).build(),
                bool("b").build());

        CompiledSnapshot after = before.apply(upsert(
                6, bool("b").prerequisite(prerequisite("a", "on")).version(6).build()));

        assertThat(after.evaluate("a", ctx("u")).detail().errorKind()).isEqualTo(ErrorKind.MALFORMED_FLAG);
        assertThat(after.evaluate("b", ctx("u")).detail().errorKind()).isEqualTo(ErrorKind.MALFORMED_FLAG);
    }

    @Test
    void changedSegmentRecompilesTheFlagsUsingIt() {
        Flag flag = bool("f")
                .fallthrough(Serve.variant("off"))
                .rule(rule("r", "on", inSegment("beta")))
                .build();
        Segment beta = segment("beta", List.of("u"), List.of(), List.of());
        CompiledSnapshot before = CompiledSnapshot.of(new FlagData(5, Map.of("f", flag), Map.of("beta", beta)));
        assertThat(value(before, "f")).isEqualTo(true);

        Segment emptied = new Segment("beta", null, List.of(), List.of(), List.of(), null, 6);
        CompiledSnapshot after =
                before.apply(new FlagUpdate(6, List.of(), List.of(), List.of(emptied), List.of(), WRITTEN));
        CompiledSnapshot restored = after.apply(
                new FlagUpdate(7, List.of(), List.of(), List.of(beta.withVersion(7, WRITTEN)), List.of(), WRITTEN));
        CompiledSnapshot deleted =
                restored.apply(new FlagUpdate(8, List.of(), List.of(), List.of(), List.of("beta"), WRITTEN));
        CompiledSnapshot lateSegment = deleted.apply(
                new FlagUpdate(9, List.of(), List.of(), List.of(beta.withVersion(8, WRITTEN)), List.of(), WRITTEN));

        assertThat(value(after, "f")).isEqualTo(false);
        assertThat(value(restored, "f")).isEqualTo(true);
        assertThat(value(deleted, "f")).isEqualTo(false);
        assertThat(deleted.segments()).isEmpty();
        assertThat(lateSegment.segments()).as("tombstoned at 8").isEmpty();
    }

    @Test
    void brokenUpdateAffectsOnlyThatFlag() {
        CompiledSnapshot before = loaded(5, bool("a").build(), bool("b").build());

        CompiledSnapshot after = before.apply(upsert(
                6,
                bool("a")
                        .rule(rule("r", "on", clause("x", Operator.MATCHES, "((")))
                        .version(6)
                        .build()));

        assertThat(after.evaluate("a", ctx("u")).detail().errorKind()).isEqualTo(ErrorKind.MALFORMED_FLAG);
        assertThat(after.problems()).containsOnlyKeys("a");
        assertThat(value(after, "b")).isEqualTo(true);
    }

    @Test
    void batchIsAppliedWhole() {
        CompiledSnapshot before =
                loaded(5, bool("a").build(), bool("b").build(), bool("c").build());

        CompiledSnapshot after = before.apply(new FlagUpdate(
                6,
                List.of(
                        bool("a").enabled(false).version(6).build(),
                        bool("d").version(6).build()),
                List.of("b"),
                List.of(),
                List.of(),
                WRITTEN));

        assertThat(after.flags()).containsOnlyKeys("a", "c", "d");
        assertThat(value(after, "a")).isEqualTo(false);
        assertThat(after.version()).isEqualTo(6);
    }

    @Test
    void updateWithNothingNewReturnsTheSameSnapshot() {
        CompiledSnapshot snapshot = loaded(5, bool("a").build());

        assertThat(snapshot.apply(upsert(4, bool("a").version(4).build()))).isSameAs(snapshot);
        assertThat(snapshot.apply(upsert(9)).version()).isEqualTo(9);
    }
}
