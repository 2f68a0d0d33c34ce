package io.flagstore.core;

import io.flagstore.core.internal.EvalResult;
import io.flagstore.core.metrics.MetricsOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The evaluation counters ({@code flagstore.evaluations}, {@code flagstore.evaluation.errors}).
 *
 * <p>Implementation notes: a successful evaluation returns an {@link EvalResult} shared by every
 * evaluation with the same flag version, variant and reason, so its counter is resolved once and
 * cached in {@link EvalResult#recorderSlot}; the hot path is then a field read, an identity check
 * and an adder increment. The slot remembers its owner so a result shared between clients (or
 * registries) never counts into the wrong one. Races on the slot are benign: both writers store an
 * equivalent counter.
 */
final class EvaluationMeters {
    static final String EVALUATIONS = "flagstore.evaluations";
    static final String ERRORS = "flagstore.evaluation.errors";
    /** The {@code variant} tag when the caller's default was served. */
    static final String DEFAULT_VARIANT = "__default__";
    /** The {@code flag} tag of a call with a {@code null} key. */
    static final String NO_FLAG = "__none__";

    private final MeterRegistry registry;
    private final MetricsOptions options;
    private final Set<String> taggedFlags = ConcurrentHashMap.newKeySet();
    /** Per requested key (not tag: the key is what the caller has, without allocating). */
    private final Map<String, Counter[]> failures = new ConcurrentHashMap<>();

    EvaluationMeters(MeterRegistry registry, MetricsOptions options) {
        this.registry = registry;
        this.options = options;
    }

    /** Counts a successful evaluation: the hot path. */
    void evaluated(EvalResult result) {
        if (result.recorderSlot instanceof Slot slot && slot.owner == this) {
            slot.counter.increment();
        } else {
            EvaluationDetail<Object> detail = result.detail();
            Counter counter = evaluations(result.flagKey(), detail.variant(), detail.reason());
            result.recorderSlot = new Slot(this, counter);
            counter.increment();
        }
    }

    /** Counts an evaluation the client produced itself (an override). */
    void evaluated(String flagKey, String variant, Reason reason) {
        evaluations(flagKey, variant, reason).increment();
    }

    /** Counts an evaluation that served the caller's default. */
    void failed(String flagKey, ErrorKind kind) {
        Counter[] counters = failures.computeIfAbsent(flagKey == null ? NO_FLAG : flagKey, k -> {
            Counter[] byKind = new Counter[ErrorKind.values().length + 1];
            byKind[0] = evaluations(k, null, Reason.ERROR);
            return byKind;
        });
        int slot = kind.ordinal() + 1;
        Counter errors = counters[slot];
        if (errors == null) {
            errors = Counter.builder(ERRORS)
                    .description("Evaluations that served the caller's default because of an error, by kind")
                    .tags("flag", flagTag(flagKey), "kind", kind.name())
                    .register(registry);
            counters[slot] = errors; // benign race: register returns the same counter
        }
        counters[0].increment();
        errors.increment();
    }

    private Counter evaluations(String flagKey, String variant, Reason reason) {
        Tags tags = Tags.of("flag", flagTag(flagKey), "reason", reason.name());
        if (options.variantTag()) {
            tags = tags.and("variant", variant == null ? DEFAULT_VARIANT : variant);
        }
        // register returns the existing counter for a known id, so clients on one registry share it
        return Counter.builder(EVALUATIONS)
                .description("Flag evaluations by flag, variant served and reason")
                .tags(tags)
                .register(registry);
    }

    private String flagTag(String flagKey) {
        if (flagKey == null || flagKey.equals(NO_FLAG)) {
            return NO_FLAG;
        }
        if (taggedFlags.contains(flagKey)) {
            return flagKey;
        }
        synchronized (taggedFlags) {
            if (taggedFlags.size() < options.maxTaggedFlags()) {
                taggedFlags.add(flagKey);
                return flagKey;
            }
        }
        return MetricsOptions.OTHER_FLAG;
    }

    private record Slot(EvaluationMeters owner, Counter counter) {}
}
