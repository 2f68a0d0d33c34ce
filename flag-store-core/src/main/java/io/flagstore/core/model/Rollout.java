package io.flagstore.core.model;

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
}
