package io.flagstore.spring.boot;

import io.flagstore.core.FlagClient;

/**
 * Changes the {@link FlagClient.Builder} the auto-configuration uses, after the {@code flagstore.*}
 * properties were applied and before {@code build()}: for options that have no property, such as a
 * listener executor. Every bean of this type is called, in {@code @Order}.
 */
@FunctionalInterface
public interface FlagClientBuilderCustomizer {
    /**
     * Adjusts {@code builder}.
     *
     * @param builder the builder of the application's client, before it builds
     */
    void customize(FlagClient.Builder builder);
}
