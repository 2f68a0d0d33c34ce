package io.flagstore.core.internal;

/**
 * Unwinds an evaluation whose prerequisite chain is too deep (a cycle that slipped past
 * validation). Preallocated and stackless: throwing it costs no allocation.
 */
final class EvaluationAborted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final EvaluationAborted PREREQUISITE_DEPTH = new EvaluationAborted();

    private EvaluationAborted() {
        super("prerequisite chain deeper than " + CompiledFlag.MAX_PREREQUISITE_DEPTH, null, false, false);
    }
}
