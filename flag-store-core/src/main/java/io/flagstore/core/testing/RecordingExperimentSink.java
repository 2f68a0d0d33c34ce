package io.flagstore.core.testing;

import io.flagstore.core.spi.ExperimentSink;
import io.flagstore.core.spi.Exposure;
import io.flagstore.core.spi.Outcome;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link ExperimentSink} that keeps every exposure and outcome it is given, for tests of code that
 * evaluates experiment flags or calls {@code track}:
 *
 * <pre>{@code
 * RecordingExperimentSink sink = new RecordingExperimentSink();
 * FlagClient flags = FlagClient.builder().source(source).exposureSink(sink).build();
 * ...
 * flags.close(); // flushes
 * assertThat(sink.outcomes()).extracting(Outcome::variant).containsOnly("on");
 * }</pre>
 *
 * <p>Thread-safe; the lists are live, unmodifiable views.
 */
public final class RecordingExperimentSink implements ExperimentSink {
    private final List<Exposure> exposures = new CopyOnWriteArrayList<>();
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();

    @Override
    public void exposed(List<Exposure> batch) {
        exposures.addAll(batch);
    }

    @Override
    public void converted(List<Outcome> batch) {
        outcomes.addAll(batch);
    }

    /** {@return every exposure received so far, in order} */
    public List<Exposure> exposures() {
        return Collections.unmodifiableList(exposures);
    }

    /** {@return every outcome received so far, in order} */
    public List<Outcome> outcomes() {
        return Collections.unmodifiableList(outcomes);
    }

    /** Forgets everything received so far. */
    public void clear() {
        exposures.clear();
        outcomes.clear();
    }
}
