package io.flagstore.spring.boot;

import dev.openfeature.sdk.OpenFeatureAPI;
import io.flagstore.core.FlagClient;
import io.flagstore.openfeature.FlagStoreProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Registers a {@link FlagStoreProvider} over the application's {@link FlagClient} with {@link
 * OpenFeatureAPI}, for the default provider or {@code flagstore.openfeature.domain}, when the
 * OpenFeature SDK and flag-store-openfeature are on the classpath. The provider leaves the client
 * open; the client closes with the context.
 */
@AutoConfiguration(after = FlagStoreAutoConfiguration.class)
@ConditionalOnClass({OpenFeatureAPI.class, FlagStoreProvider.class})
@ConditionalOnBean(FlagClient.class)
@ConditionalOnProperty(prefix = "flagstore.openfeature", name = "enabled", matchIfMissing = true)
public class FlagStoreOpenFeatureAutoConfiguration {
    @Bean
    @ConditionalOnMissingBean
    FlagStoreProvider flagStoreProvider(FlagClient client) {
        return FlagStoreProvider.of(client);
    }

    @Bean
    OpenFeatureRegistration flagStoreOpenFeatureRegistration(
            FlagStoreProvider provider, FlagStoreProperties properties) {
        return new OpenFeatureRegistration(
                OpenFeatureAPI.getInstance(), provider, properties.openfeature().domain());
    }
}
