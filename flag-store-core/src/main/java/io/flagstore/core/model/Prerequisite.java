package io.flagstore.core.model;

import java.util.Objects;

/**
 * This flag is on only while flag {@code flagKey} serves {@code variant}; otherwise the flag serves
 * its off variant.
 *
 * @param flagKey the prerequisite flag
 * @param variant the variant the prerequisite must serve
 */
public record Prerequisite(String flagKey, String variant) {
    public Prerequisite {
        Objects.requireNonNull(flagKey, "flagKey");
        variant = Canonical.of(Objects.requireNonNull(variant, "variant"));
    }

    /** {@return a prerequisite: flag {@code flagKey} must serve {@code variant}} */
    public static Prerequisite of(String flagKey, String variant) {
        return new Prerequisite(flagKey, variant);
    }
}
