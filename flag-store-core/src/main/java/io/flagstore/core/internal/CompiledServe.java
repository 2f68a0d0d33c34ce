package io.flagstore.core.internal;

import io.flagstore.core.EvaluationContext;

/**
 * What a rule or the fallthrough serves when it is a rollout: the slices as cumulative upper bounds
 * in thousandths of a percent (bucket b falls in the first slice with b < bound). A fixed serve is
 * its {@link EvalResult} alone ({@link #select(Object, EvaluationContext)}).
 *
 * <p>Implementation notes: the salt's hash state is held in three int fields rather than a {@link
 * Bucketing.Prefix}, one dependent load less per evaluation; and a slice is chosen by counting the
 * bounds at or below the bucket, without a data-dependent branch, since the bucket is random by
 * design and a branch on it would be mispredicted about half the time in a 50/50 split.
 */
final class CompiledServe {
    private final int saltHash;
    private final int saltPending;
    private final int saltLength;
    private final String bucketBy;
    private final int[] upperBounds;
    private final EvalResult[] results;

    CompiledServe(String salt, String bucketBy, int[] upperBounds, EvalResult[] results) {
        Bucketing.Prefix prefix = Bucketing.prefix(salt);
        this.saltHash = prefix.h();
        this.saltPending = prefix.k();
        this.saltLength = prefix.len();
        this.bucketBy = bucketBy;
        this.upperBounds = upperBounds;
        this.results = results;
    }

    /** What {@code serve} (a fixed {@link EvalResult} or a {@code CompiledServe}) serves to {@code ctx}. */
    static EvalResult select(Object serve, EvaluationContext ctx) {
        return serve instanceof EvalResult fixed ? fixed : ((CompiledServe) serve).select(ctx);
    }

    private EvalResult select(EvaluationContext ctx) {
        int bucket = Bucketing.bucketOf(Bucketing.hash(saltHash, saltPending, saltLength, bucketValue(bucketBy, ctx)));
        int[] bounds = upperBounds;
        int slice = 0;
        // The last bound is 100000, above every bucket: it needs no comparison.
        for (int i = 0; i < bounds.length - 1; i++) {
            slice += bucket >= bounds[i] ? 1 : 0;
        }
        return results[slice];
    }

    /**
     * The bucketing attribute as text: a string as is, an integral number as its decimal digits;
     * the targeting key when the attribute is missing or of another type (see docs/bucketing.md).
     */
    static String bucketValue(String bucketBy, EvaluationContext ctx) {
        if (bucketBy == null) {
            return ctx.key();
        }
        Object value = ctx.attribute(bucketBy);
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return Long.toString(d.longValue());
        }
        return ctx.key();
    }
}
