package io.flagstore.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.spi.SourceState;
import io.flagstore.redis.internal.SyncState.Held;
import io.flagstore.redis.testing.RecordingSink;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/** What the sink hears of a source's state moves, without Redis. */
class StateReporterTest {
    private static final String DOWN = "Redis at redis://localhost: lost the connection";

    private final RecordingSink sink = new RecordingSink();
    private final SourceMetrics metrics = SourceMetrics.of(null, "ns");
    private final StateReporter reporter = new StateReporter(
            "ns",
            new Subscription("flagstore:{ns}:changes", new ArrayDeque<>(), metrics),
            new Deliverer(sink, new HeldSet(), metrics));
    private final SyncState start = SyncState.initial(0);

    @Test
    void theSinkHearsAStateOnlyWhenItChanges() {
        SyncState valid = start.withHeld(Held.REDIS, 3, "e1", false, true);
        SyncState down = valid.withHealth(DOWN, 1);

        assertThat(reporter.moved(start, valid)).isTrue();
        assertThat(reporter.moved(valid, valid.withHeld(Held.REDIS, 4, "e1", false, true)))
                .isFalse();
        assertThat(reporter.moved(valid, down)).isTrue();
        assertThat(reporter.moved(down, down.withHealth(DOWN + " again", 1))).isFalse();

        assertThat(sink.states()).containsExactly(SourceState.VALID, SourceState.STALE);
        assertThat(sink.stateMessage()).isEqualTo(DOWN + "; serving version 3");
    }

    @Test
    void aResetIsReportedAgainWhenItsReasonChanges() {
        SyncState valid = start.withHeld(Held.REDIS, 3, "e1", false, true);
        SyncState emptied = valid.withReset("namespace 'ns' is empty");
        SyncState written = emptied.withReset("namespace 'ns' was written into after it was emptied");
        reporter.moved(start, valid);

        assertThat(reporter.moved(valid, emptied)).isTrue();
        assertThat(reporter.moved(emptied, written)).isTrue();
        assertThat(reporter.moved(written, written)).isFalse();

        assertThat(sink.states())
                .containsExactly(SourceState.VALID, SourceState.NAMESPACE_RESET, SourceState.NAMESPACE_RESET);
        assertThat(sink.stateMessage()).isEqualTo(written.resetWhy());
    }

    @Test
    void theBackupServedIsNamedInTheStaleDetail() {
        String backup = "serving the backup file flags.json (version 2, saved 2026-01-01T00:00:00Z)";
        reporter.servingBackup(DOWN, backup);

        reporter.moved(start, start.withHeld(Held.BACKUP, 2, "e0", false, true).withHealth(DOWN, 1));

        assertThat(sink.state()).isEqualTo(SourceState.STALE);
        assertThat(sink.stateMessage()).isEqualTo(DOWN + "; " + backup);
    }
}
