package io.flagstore.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A weighted split of contexts over variants, bucketed as described in docs/bucketing.md.
 *
 * @param variants the slices in declared order; weights sum to 100
 * @param bucketBy the context attribute to bucket by, or {@code null} for the targeting key
 */
public record Rollout(List<WeightedVariant> variants, String bucketBy) {
    public Rollout {
        variants = List.copyOf(variants);
    }

    /**
     * {@return a rollout with one slice, to extend with {@link #and}: {@code Rollout.of("on",
     * 25).and("off", 75)}}
     */
    public static Rollout of(String variant, double weight) {
        return new Rollout(List.of(new WeightedVariant(variant, weight)), null);
    }

    /** {@return this rollout with one more slice after the others} */
    public Rollout and(String variant, double weight) {
        List<WeightedVariant> more = new ArrayList<>(variants);
        more.add(new WeightedVariant(variant, weight));
        return new Rollout(more, bucketBy);
    }

    /** {@return this rollout bucketed by the given context attribute instead of the targeting key} */
    public Rollout bucketedBy(String attribute) {
        return new Rollout(variants, attribute);
    }
}
