package io.flagstore.core;

import io.flagstore.core.internal.EvalResult;
import io.flagstore.core.metrics.MetricsOptions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The evaluation counters ({@code flagstore.evaluations}, {@code flagstore.evaluation.errors}).
 *
 * <p>Implementation notes: a successful evaluation returns an {@link EvalResult} shared by every
 * evaluation with the same flag version, variant and reason, so its counter is resolved once and
 * cached in {@link EvalResult#recorderSlot}; the hot path is then a field read, an identity check
 * and a {@link LongAdder} increment. Counters are our own adders read by {@link FunctionCounter}s,
 * not Micrometer {@code Counter}s, because a step registry's counter reads the clock on every
 * increment. The adders are shared per registry and meter id, so clients on one registry count
 * into the same series. The slot remembers its owner so a result shared between clients (or
 * registries) never counts into the wrong one; races on the slot are benign (both writers store the
 * same adder).
 */
final class EvaluationMeters {
    static final String EVALUATIONS = "flagstore.evaluations";
    static final String ERRORS = "flagstore.evaluation.errors";
    /** The {@code variant} tag when the caller's default was served. */
    static final String DEFAULT_VARIANT = "__default__";
    /** The {@code flag} tag of a call with a {@code null} key. */
    static final String NO_FLAG = "__none__";

    /** Registry to its adders by meter; weak so a discarded registry is not kept. Guarded by itself. */
    private static final Map<MeterRegistry, Map<Tags, LongAdder>> ADDERS = new WeakHashMap<>();

    private final MeterRegistry registry;
    private final MetricsOptions options;
    private final Set<String> taggedFlags = ConcurrentHashMap.newKeySet();
    /** Per requested key (what the caller has, so no allocation): the ERROR evaluation, then per kind. */
    private final Map<String, LongAdder[]> failures = new ConcurrentHashMap<>();

    EvaluationMeters(MeterRegistry registry, MetricsOptions options) {
        this.registry = registry;
        this.options = options;
    }

    /** Counts a successful evaluation: the hot path. */
    void evaluated(EvalResult result) {
        if (result.recorderSlot instanceof Slot slot && slot.owner == this) {
            slot.adder.increment();
        } else {
            LongAdder adder = evaluations(result.flagKey(), result.variant(), result.reason());
            result.recorderSlot = new Slot(this, adder);
            adder.increment();
        }
    }

    /** Counts an evaluation the client produced itself (an override). */
    void evaluated(String flagKey, String variant, Reason reason) {
        evaluations(flagKey, variant, reason).increment();
    }

    /** Counts an evaluation that served the caller's default. */
    void failed(String flagKey, ErrorKind kind) {
        LongAdder[] adders = failures.computeIfAbsent(flagKey == null ? NO_FLAG : flagKey, k -> {
            LongAdder[] byKind = new LongAdder[ErrorKind.values().length + 1];
            byKind[0] = evaluations(k, null, Reason.ERROR);
            return byKind;
        });
        int slot = kind.ordinal() + 1;
        LongAdder errors = adders[slot];
        if (errors == null) {
            errors = adder(
                    ERRORS,
                    "Evaluations that served the caller's default because of an error, by kind",
                    Tags.of("flag", flagTag(flagKey), "kind", kind.name()));
            adders[slot] = errors; // benign race: every writer stores the same shared adder
        }
        adders[0].increment();
        errors.increment();
    }

    private LongAdder evaluations(String flagKey, String variant, Reason reason) {
        Tags tags = Tags.of("flag", flagTag(flagKey), "reason", reason.name());
        if (options.variantTag()) {
            tags = tags.and("variant", variant == null ? DEFAULT_VARIANT : variant);
        }
        return adder(EVALUATIONS, "Flag evaluations by flag, variant served and reason", tags);
    }

    private LongAdder adder(String name, String description, Tags tags) {
        synchronized (ADDERS) {
            return ADDERS.computeIfAbsent(registry, r -> new HashMap<>())
                    .computeIfAbsent(tags.and("__name", name), key -> {
                        LongAdder adder = new LongAdder();
                        FunctionCounter.builder(name, adder, LongAdder::sum)
                                .description(description)
                                .tags(tags)
                                .register(registry);
                        return adder;
                    });
        }
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

    private record Slot(EvaluationMeters owner, LongAdder adder) {}
}
