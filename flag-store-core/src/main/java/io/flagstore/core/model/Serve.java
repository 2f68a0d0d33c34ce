package io.flagstore.core.model;

/**
 * What a rule or the fallthrough serves: exactly one of a fixed variant or a rollout.
 *
 * @param variant the variant served, or {@code null} when {@link #rollout()} is set
 * @param rollout the rollout, or {@code null} when {@link #variant()} is set
 */
public record Serve(String variant, Rollout rollout) {
    public Serve {
        variant = Canonical.of(variant);
    }

    /** Serves one variant to everyone. */
    public static Serve variant(String variant) {
        return new Serve(variant, null);
    }

    /** Serves a weighted rollout. */
    public static Serve rollout(Rollout rollout) {
        return new Serve(null, rollout);
    }
}
