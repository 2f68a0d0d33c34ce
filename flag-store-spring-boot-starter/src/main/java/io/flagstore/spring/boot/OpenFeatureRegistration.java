package io.flagstore.spring.boot;

import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.springframework.beans.factory.DisposableBean;

/**
 * The provider set on the process-wide {@link OpenFeatureAPI} while the context lives: set (and
 * initialized) when created, replaced by a no-op provider when the context closes, unless another
 * provider was set since.
 */
final class OpenFeatureRegistration implements DisposableBean {
    private final OpenFeatureAPI api;
    private final FeatureProvider provider;
    private final String domain;

    OpenFeatureRegistration(OpenFeatureAPI api, FeatureProvider provider, String domain) {
        this.api = api;
        this.provider = provider;
        this.domain = domain;
        if (domain == null) {
            api.setProviderAndWait(provider);
        } else {
            api.setProviderAndWait(domain, provider);
        }
    }

    @Override
    public void destroy() {
        FeatureProvider current = domain == null ? api.getProvider() : api.getProvider(domain);
        if (current == provider) {
            if (domain == null) {
                api.setProvider(new NoOpProvider());
            } else {
                api.setProvider(domain, new NoOpProvider());
            }
        }
    }
}
