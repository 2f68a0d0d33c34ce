package io.flagstore.core.internal;

import io.flagstore.core.EvaluationContext;

/**
 * What a rule or the fallthrough serves: a fixed result, or a rollout's slices as cumulative upper
 * bounds in thousandths of a percent (bucket b falls in the first slice with b < bound).
 */
final class CompiledServe {
    private final EvalResult fixed;
    private final Bucketing.Prefix salt;
    private final String bucketBy;
    private final int[] upperBounds;
    private final EvalResult[] results;

    CompiledServe(EvalResult fixed) {
        this.fixed = fixed;
        this.salt = null;
        this.bucketBy = null;
        this.upperBounds = null;
        this.results = null;
    }

    CompiledServe(String salt, String bucketBy, int[] upperBounds, EvalResult[] results) {
        this.fixed = null;
        this.salt = Bucketing.prefix(salt);
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
        int bucket = salt.bucket(bucketValue(ctx));
        int[] bounds = upperBounds;
        for (int i = 0; i < bounds.length; i++) {
            if (bucket < bounds[i]) {
                return results[i];
            }
        }
        return results[results.length - 1]; // unreachable: the bounds end at 100000
    }

    /**
     * The bucketing attribute as text: a string as is, an integral number as its decimal digits;
     * the targeting key when the attribute is missing or of another type (see docs/bucketing.md).
     */
    private String bucketValue(EvaluationContext ctx) {
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
