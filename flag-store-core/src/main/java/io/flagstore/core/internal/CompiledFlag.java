package io.flagstore.core.internal;

import io.flagstore.core.ErrorKind;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.EvaluationDetail;
import io.flagstore.core.Reason;
import io.flagstore.core.model.Clause;
import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Rollout;
import io.flagstore.core.model.Rule;
import io.flagstore.core.model.Serve;
import io.flagstore.core.model.WeightedVariant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One flag compiled for evaluation, in docs/evaluation.md's order: disabled, prerequisites, targets, rules,
 * fallthrough.
 *
 * <p>Implementation notes (why it is shaped this way):
 *
 * <ul>
 *   <li>Every outcome the flag can produce (variant x reason x rule) is an {@link EvalResult} built
 *       here, once, so evaluation allocates nothing and the client can cache a metrics counter per
 *       outcome in {@link EvalResult#recorderSlot}.
 *   <li>Flags whose result does not depend on the context (disabled, malformed, or no prerequisites,
 *       targets or rules and a fixed fallthrough, which is most kill switches) keep it in {@link
 *       #constant}, and evaluation is a field read.
 *   <li>Clause values are parsed here (sets, patterns, semvers, instants), so matching never parses
 *       flag data; everything broken is found here and the flag becomes a constant
 *       ERROR/MALFORMED_FLAG without affecting other flags. A disabled flag with a valid off variant
 *       still serves it, even if the rest is broken: the kill switch must always work.
 *   <li>Prerequisites hold a direct reference to the prerequisite's compiled flag, set by {@link
 *       #link} once all flags of a snapshot are compiled (the graph may have cycles that slipped past
 *       validation, so it cannot be built in one pass). A changed flag therefore forces its
 *       dependents to be recompiled; see {@link CompiledSnapshot#apply}. Recursion depth is capped
 *       so a cycle ends in ERROR/MALFORMED_FLAG, not a StackOverflowError.
 *   <li>No locks, I/O, clock reads or logging: a pure function of the compiled flag and the context.
 * </ul>
 */
final class CompiledFlag {
    // Shared by every flag without prerequisites or rules: each client holds every flag
    private static final Prerequisite[] NO_PREREQUISITES = new Prerequisite[0];
    private static final CompiledClause[][] NO_RULE_CLAUSES = new CompiledClause[0][];
    private static final Object[] NO_RULE_SERVES = new Object[0];

    /** Longest prerequisite chain followed; deeper (a cycle) evaluates to ERROR/MALFORMED_FLAG. */
    static final int MAX_PREREQUISITE_DEPTH = 32;

    private final Flag flag;
    private final String problem;
    private final Set<String> prerequisiteKeys;
    private final Set<String> segmentKeys;
    // The error outcomes, made on first use (most flags never have one): a race makes two equal
    // instances, which is harmless, and their final fields publish them safely.
    private EvalResult malformed;
    private EvalResult general;
    /** The result for every context, or {@code null} when it depends on the context. */
    private final EvalResult constant;

    private final EvalResult prerequisiteFailed;
    private final Prerequisite[] prerequisites;
    // Individual targets as a StringSet table of context keys and the outcome in the same slot:
    // a third of a HashMap's memory for the few keys a flag targets, and one load less per lookup.
    private final String[] targetKeys;
    private final int targetMask;
    private final EvalResult[] targetResults;
    // Rule i is ruleClauses[i] (all must match) serving ruleServes[i]: parallel arrays rather than
    // rule objects, one dependent load less per rule evaluated. A serve is its EvalResult when fixed
    // (most are, and a wrapper per serve would cost every client 40 bytes per flag) or a
    // CompiledServe for a rollout: see CompiledServe#select(Object, EvaluationContext).
    private final CompiledClause[][] ruleClauses;
    private final Object[] ruleServes;
    private final Object fallthrough;

    /** Compiles {@code flag}; segment keys resolve through {@code segments}. Never throws. */
    static CompiledFlag compile(Flag flag, Map<String, CompiledSegment> segments) {
        try {
            return new CompiledFlag(flag, segments);
        } catch (MalformedException e) {
            return new CompiledFlag(flag, e.getMessage());
        }
    }

    /** A flag that could not be compiled: every evaluation returns ERROR/MALFORMED_FLAG. */
    private CompiledFlag(Flag flag, String problem) {
        this.flag = flag;
        this.problem = problem;
        this.prerequisiteKeys = prerequisiteKeys(flag);
        this.segmentKeys = segmentKeys(flag);
        this.constant = malformed();
        this.prerequisiteFailed = null;
        this.prerequisites = null;
        this.targetKeys = null;
        this.targetMask = 0;
        this.targetResults = null;
        this.ruleClauses = null;
        this.ruleServes = null;
        this.fallthrough = null;
    }

    private CompiledFlag(Flag flag, Map<String, CompiledSegment> segments) {
        this.flag = flag;
        this.problem = null;
        this.prerequisiteKeys = prerequisiteKeys(flag);
        this.segmentKeys = segmentKeys(flag);
        Map<String, Object> values = new LinkedHashMap<>();
        flag.variants().forEach((name, node) -> values.put(name, Values.variantValue(flag.type(), name, node)));
        Results results = new Results(flag, values, experimentWhere(flag));
        EvalResult off = results.get(flag.offVariant(), Reason.DISABLED, -1, null, "offVariant");
        if (!flag.enabled()) {
            // The kill switch must work even when the rest of the definition is broken.
            this.constant = off;
            this.prerequisiteFailed = null;
            this.prerequisites = null;
            this.targetKeys = null;
            this.targetMask = 0;
            this.targetResults = null;
            this.ruleClauses = null;
            this.ruleServes = null;
            this.fallthrough = null;
            return;
        }
        this.prerequisiteFailed = flag.prerequisites().isEmpty()
                ? null
                : results.get(flag.offVariant(), Reason.PREREQUISITE_FAILED, -1, null, "offVariant");
        this.prerequisites = flag.prerequisites().isEmpty()
                ? NO_PREREQUISITES
                : flag.prerequisites().stream()
                        .map(p -> new Prerequisite(p.flagKey(), p.variant()))
                        .toArray(Prerequisite[]::new);
        Map<String, EvalResult> targetMap = new HashMap<>();
        flag.targets().forEach((variant, keys) -> {
            EvalResult r = results.get(variant, Reason.TARGET_MATCH, -1, null, "targets");
            keys.forEach(k -> targetMap.putIfAbsent(k, r));
        });
        if (targetMap.isEmpty()) {
            this.targetKeys = null;
            this.targetMask = 0;
            this.targetResults = null;
        } else {
            this.targetKeys = StringSet.table(targetMap.keySet());
            this.targetMask = targetKeys.length - 1;
            this.targetResults = new EvalResult[targetKeys.length];
            targetMap.forEach((key, result) -> targetResults[StringSet.indexOf(targetKeys, targetMask, key)] = result);
        }
        List<Rule> ruleList = flag.rules();
        this.ruleClauses = ruleList.isEmpty() ? NO_RULE_CLAUSES : new CompiledClause[ruleList.size()][];
        this.ruleServes = ruleList.isEmpty() ? NO_RULE_SERVES : new Object[ruleList.size()];
        for (int i = 0; i < ruleList.size(); i++) {
            Rule rule = ruleList.get(i);
            CompiledClause[] clauses = new CompiledClause[rule.clauses().size()];
            for (int c = 0; c < clauses.length; c++) {
                clauses[c] = new CompiledClause(rule.clauses().get(c), segments);
            }
            int index = i;
            ruleClauses[i] = clauses;
            ruleServes[i] = serve(
                    flag,
                    rule.serve(),
                    results,
                    (variant, where) -> results.get(variant, Reason.RULE_MATCH, index, rule.id(), where),
                    "rules[" + i + "]");
        }
        this.fallthrough = serve(
                flag,
                flag.fallthrough(),
                results,
                (variant, where) -> results.get(
                        variant,
                        flag.fallthrough().rollout() == null ? Reason.FALLTHROUGH : Reason.SPLIT,
                        -1,
                        null,
                        where),
                "fallthrough");
        this.constant = prerequisites.length == 0
                        && targetKeys == null
                        && ruleClauses.length == 0
                        && fallthrough instanceof EvalResult fixed
                ? fixed
                : null;
    }

    /** Where the experiment's rollout is ("fallthrough" or "rules[i]"), or {@code null} without one. */
    private static String experimentWhere(Flag flag) {
        if (flag.experiment() == null || flag.experimentRollout() == null) {
            return null;
        }
        String rule = flag.experiment().rule();
        if (rule == null) {
            return "fallthrough";
        }
        for (int i = 0; i < flag.rules().size(); i++) {
            if (flag.rules().get(i).id().equals(rule)) {
                return "rules[" + i + "]";
            }
        }
        return null;
    }

    private static EvalResult error(Flag flag, ErrorKind kind) {
        return new EvalResult(
                flag.key(),
                flag.type(),
                new EvaluationDetail<>(null, null, Reason.ERROR, -1, null, kind, flag.version()));
    }

    private interface ResultFactory {
        EvalResult result(String variant, String where);
    }

    /** The fixed {@link EvalResult} or the {@link CompiledServe} rollout {@code serve} compiles to. */
    private static Object serve(Flag flag, Serve serve, Results results, ResultFactory factory, String where) {
        if (serve.variant() != null && serve.rollout() == null) {
            return factory.result(serve.variant(), where);
        }
        Rollout rollout = serve.rollout();
        if (rollout == null || serve.variant() != null) {
            throw new MalformedException(where + ": must serve exactly one of a variant or a rollout");
        }
        List<WeightedVariant> slices = rollout.variants();
        if (slices.isEmpty()) {
            throw new MalformedException(where + ": rollout has no variants");
        }
        int[] upperBounds = new int[slices.size()];
        EvalResult[] sliceResults = new EvalResult[slices.size()];
        long cumulative = 0;
        for (int i = 0; i < slices.size(); i++) {
            WeightedVariant slice = slices.get(i);
            double thousandths = slice.weight() * 1000;
            long rounded = Math.round(thousandths);
            if (!(slice.weight() >= 0) || Math.abs(thousandths - rounded) > 1e-6) {
                throw new MalformedException(where + ": weight " + slice.weight() + " of '" + slice.variant()
                        + "' is not a percentage with at most three decimals");
            }
            cumulative += rounded;
            upperBounds[i] = (int) Math.min(cumulative, Integer.MAX_VALUE);
            sliceResults[i] = factory.result(slice.variant(), where);
        }
        if (cumulative != Bucketing.BUCKETS) {
            throw new MalformedException(where + ": rollout weights sum to " + cumulative / 1000.0 + "%, not 100%");
        }
        return new CompiledServe(flag.effectiveSalt(), bucketAttribute(rollout), upperBounds, sliceResults);
    }

    /** The attribute a rollout buckets by, or {@code null} for the targeting key. */
    private static String bucketAttribute(Rollout rollout) {
        return rollout.bucketBy() == null || rollout.bucketBy().equals(EvaluationContext.KEY)
                ? null
                : rollout.bucketBy();
    }

    /**
     * Creates the shared results, one per (variant, reason, rule), checking each variant exists. The
     * results of the experiment's rollout carry an {@link ExperimentArm}: they are the only ones
     * created for that rollout's place, since the place decides the reason and rule index.
     */
    private static final class Results {
        private final Flag flag;
        private final Map<String, Object> values;
        private final String experimentWhere;
        private final Map<String, EvalResult> cache = new HashMap<>();

        Results(Flag flag, Map<String, Object> values, String experimentWhere) {
            this.flag = flag;
            this.values = values;
            this.experimentWhere = experimentWhere;
        }

        EvalResult get(String variant, Reason reason, int ruleIndex, String ruleId, String where) {
            if (variant == null || !values.containsKey(variant)) {
                throw new MalformedException(where + ": unknown variant '" + variant + "'");
            }
            return cache.computeIfAbsent(
                    variant + '\u0000' + reason + '\u0000' + ruleIndex,
                    k -> new EvalResult(
                            flag.key(),
                            flag.type(),
                            values.get(variant),
                            variant,
                            reason,
                            ruleIndex,
                            ruleId,
                            null,
                            flag.version(),
                            where.equals(experimentWhere) ? arm(variant) : null));
        }

        private ExperimentArm arm(String variant) {
            return new ExperimentArm(flag.key(), variant, flag.experiment(), bucketAttribute(flag.experimentRollout()));
        }
    }

    /** Points prerequisites at the compiled flags of the snapshot being built. */
    void link(Map<String, CompiledFlag> flags) {
        if (prerequisites != null) {
            for (Prerequisite p : prerequisites) {
                p.target = flags.get(p.flagKey);
            }
        }
    }

    Flag flag() {
        return flag;
    }

    /** Why this flag could not be compiled, or {@code null}. */
    String problem() {
        return problem;
    }

    /** Keys of the flags this flag's prerequisites name. */
    Set<String> prerequisiteKeys() {
        return prerequisiteKeys;
    }

    /** Keys of the segments this flag's rules name. */
    Set<String> segmentKeys() {
        return segmentKeys;
    }

    /** Evaluates for a caller: never throws. */
    EvalResult evaluate(EvaluationContext ctx) {
        EvalResult c = constant;
        if (c != null) {
            return c;
        }
        try {
            return evaluate(ctx, 0);
        } catch (EvaluationAborted e) {
            return malformed();
        } catch (RuntimeException | StackOverflowError e) {
            return general();
        }
    }

    private EvalResult malformed() {
        EvalResult r = malformed;
        return r != null ? r : (malformed = error(flag, ErrorKind.MALFORMED_FLAG));
    }

    private EvalResult general() {
        EvalResult r = general;
        return r != null ? r : (general = error(flag, ErrorKind.GENERAL));
    }

    private EvalResult evaluate(EvaluationContext ctx, int depth) {
        EvalResult c = constant;
        if (c != null) {
            return c;
        }
        for (Prerequisite p : prerequisites) {
            if (!p.isMet(ctx, depth)) {
                return prerequisiteFailed;
            }
        }
        if (targetKeys != null) {
            int i = StringSet.indexOf(targetKeys, targetMask, ctx.key());
            if (i >= 0) {
                return targetResults[i];
            }
        }
        CompiledClause[][] clauses = ruleClauses;
        for (int i = 0; i < clauses.length; i++) {
            if (allMatch(clauses[i], ctx)) {
                return CompiledServe.select(ruleServes[i], ctx);
            }
        }
        return CompiledServe.select(fallthrough, ctx);
    }

    static boolean allMatch(CompiledClause[] clauses, EvaluationContext ctx) {
        for (CompiledClause clause : clauses) {
            if (!clause.matches(ctx)) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> prerequisiteKeys(Flag flag) {
        Set<String> keys = new LinkedHashSet<>();
        flag.prerequisites().forEach(p -> keys.add(p.flagKey()));
        return Set.copyOf(keys);
    }

    private static Set<String> segmentKeys(Flag flag) {
        Set<String> keys = new LinkedHashSet<>();
        for (Rule rule : flag.rules()) {
            for (Clause clause : rule.clauses()) {
                keys.addAll(List.of(CompiledClause.segmentKeys(clause)));
            }
        }
        return Set.copyOf(keys);
    }

    /** A prerequisite, linked to the compiled flag it names ({@code null} when that flag is absent). */
    private static final class Prerequisite {
        final String flagKey;
        final String variant;
        // Set once by link() before the snapshot holding this flag is published.
        CompiledFlag target;

        Prerequisite(String flagKey, String variant) {
            this.flagKey = flagKey;
            this.variant = variant;
        }

        /** Met when the prerequisite flag exists, is enabled and serves the required variant. */
        boolean isMet(EvaluationContext ctx, int depth) {
            CompiledFlag t = target;
            if (t == null || !t.flag.enabled()) {
                return false;
            }
            if (depth >= MAX_PREREQUISITE_DEPTH) {
                throw EvaluationAborted.PREREQUISITE_DEPTH;
            }
            return variant.equals(t.evaluate(ctx, depth + 1).variant());
        }
    }
}
