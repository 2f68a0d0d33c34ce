package io.flagstore.core.internal;

import io.flagstore.core.EvaluationContext;

/**
 * What a rule or the fallthrough serves: a fixed result, or a rollout's slices as cumulative upper
 * bounds in thousandths of a percent (bucket b falls in the first slice with b < bound).
 *
 * <p>Implementation notes: the salt's hash state is held in three int fields rather than a {@link
 * Bucketing.Prefix}, one dependent load less per evaluation; and a slice is chosen by counting the
 * bounds at or below the bucket, without a data-dependent branch, since the bucket is random by
 * design and a branch on it would be mispredicted about half the time in a 50/50 split.
 */
final class CompiledServe {
    private final EvalResult fixed;
    private final int saltHash;
    private final int saltPending;
    private final int saltLength;
    private final String bucketBy;
    private final int[] upperBounds;
    private final EvalResult[] results;

    CompiledServe(EvalResult fixed) {
        this.fixed = fixed;
        this.saltHash = 0;
        this.saltPending = 0;
        this.saltLength = 0;
        this.bucketBy = null;
        this.upperBounds = null;
        this.results = null;
    }

    CompiledServe(String salt, String bucketBy, int[] upperBounds, EvalResult[] results) {
        this.fixed = null;
        Bucketing.Prefix prefix = Bucketing.prefix(salt);
        this.saltHash = prefix.h();
        this.saltPending = prefix.k();
        this.saltLength = prefix.len();
        this.bucketBy = bucketBy;
        this.upperBounds = upperBounds;
        this.results = results;
    }

    /** The fixed result, or {@code null} for a rollout. */
    EvalResult fixed() {
        return fixed;
    }

    EvalResult select(EvaluationContext ctx) {
        if (fixed != null) {
            return fixed;
        }
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
