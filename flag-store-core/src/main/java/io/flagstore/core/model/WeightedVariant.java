package io.flagstore.core.model;

import java.util.Objects;

/**
 * One slice of a rollout: a variant and its weight in percent (0 to 100, at most three decimals, so
 * the finest slice is 0.001%).
 *
 * @param variant the variant served to this slice
 * @param weight the slice's share in percent
 */
public record WeightedVariant(String variant, double weight) {
    public WeightedVariant {
        variant = Canonical.of(Objects.requireNonNull(variant, "variant"));
    }
}
