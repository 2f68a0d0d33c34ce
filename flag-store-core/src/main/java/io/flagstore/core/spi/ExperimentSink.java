package io.flagstore.core.spi;

import java.util.List;

/**
 * An {@link ExposureSink} that also takes outcomes: where an experiment's counts are kept, so its
 * results can be computed (the Redis source is one: docs/experiments.md). A client whose source
 * implements it uses it without being told; further ones can be registered as exposure sinks.
 *
 * <p>Called from the client's experiment thread only; the same failure rules as {@link
 * ExposureSink}.
 */
public interface ExperimentSink extends ExposureSink {
    /**
     * Takes one batch of outcomes.
     *
     * @param outcomes never empty, unmodifiable
     */
    void converted(List<Outcome> outcomes);
}
