package io.flagstore.spring.boot;

import io.flagstore.core.FileFlagSource;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.LocalOverrides;
import io.flagstore.core.metrics.MetricsOptions;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisFlagSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * A {@link FlagClient} from the {@code flagstore.*} properties: over Redis when {@code
 * flagstore.redis.uri} is set, else over the JSON document at {@code flagstore.local.location}. The
 * client is closed with the context. An application's own {@code FlagClient} or {@code FlagSource}
 * bean wins; {@link FlagClientBuilderCustomizer} beans adjust the builder.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
        })
@ConditionalOnClass(FlagClient.class)
@ConditionalOnProperty(prefix = "flagstore", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(FlagStoreProperties.class)
public class FlagStoreAutoConfiguration {
    /** The service name when neither {@code flagstore.service-name} nor {@code spring.application.name} is set. */
    static String serviceName(FlagStoreProperties properties, Environment environment) {
        if (properties.serviceName() != null) {
            return properties.serviceName();
        }
        return environment.getProperty("spring.application.name", RedisFlagSource.DEFAULT_SERVICE_NAME);
    }

    @Bean
    @ConditionalOnMissingBean({FlagSource.class, FlagClient.class})
    FlagSource flagStoreSource(FlagStoreProperties properties, Environment environment, ResourceLoader resources) {
        FlagStoreProperties.Redis redis = properties.redis();
        if (redis.uri() != null) {
            RedisFlagSource.Builder builder = RedisFlagSource.builder()
                    .options(redis.options())
                    .serviceName(serviceName(properties, environment));
            if (redis.backupFile() != null) {
                builder.backupFile(redis.backupFile());
            }
            if (redis.instanceId() != null) {
                builder.instanceId(redis.instanceId());
            }
            if (redis.presenceKeyFile() != null) {
                builder.presenceKeyFile(redis.presenceKeyFile());
            }
            return builder.build();
        }
        String location = properties.local().location();
        if (location == null) {
            throw new IllegalStateException("flag-store has no source: set flagstore.redis.uri, or"
                    + " flagstore.local.location (such as classpath:flags.json) for local development,"
                    + " or flagstore.enabled=false");
        }
        return localSource(
                resources.getResource(location), location, properties.local().watch());
    }

    /** A file is watched (when asked); a classpath resource is part of the application, read once. */
    private static FlagSource localSource(Resource resource, String location, boolean watch) {
        if (!resource.exists()) {
            throw new IllegalStateException("flagstore.local.location " + location + " does not exist");
        }
        try {
            if (resource.isFile() && !(resource instanceof ClassPathResource)) {
                return FileFlagSource.builder(resource.getFile().toPath())
                        .watch(watch)
                        .build();
            }
            try (InputStream in = resource.getInputStream()) {
                return InMemoryFlagSource.fromJson(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read flagstore.local.location " + location, e);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    FlagClient flagClient(
            FlagSource flagStoreSource,
            FlagStoreProperties properties,
            ObjectProvider<FlagClientBuilderCustomizer> customizers) {
        FlagClient.Builder builder = FlagClient.builder()
                .source(flagStoreSource)
                .startTimeout(properties.startTimeout())
                .failFast(properties.failFast())
                .metricsOptions(MetricsOptions.builder()
                        .maxTaggedFlags(properties.metrics().maxTaggedFlags())
                        .variantTag(properties.metrics().variantTag())
                        .usageInterval(properties.usageInterval())
                        .build());
        if (!properties.overrides().isEmpty()) {
            builder.overrides(LocalOverrides.of(properties.overrides()));
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /** The application's registry, given to the client once (the Redis source gets it from the client). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Metrics {
        @Bean
        @ConditionalOnBean(MeterRegistry.class)
        FlagClientBuilderCustomizer flagStoreMeterRegistry(MeterRegistry registry) {
            return builder -> builder.meterRegistry(registry);
        }
    }

    /** A {@link FlagAdmin} for services that write flags, only when asked for. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "flagstore.admin", name = "enabled", havingValue = "true")
    static class Admin {
        @Bean
        @ConditionalOnMissingBean
        FlagAdmin flagAdmin(FlagStoreProperties properties) {
            if (properties.redis().uri() == null) {
                throw new IllegalStateException("flagstore.admin.enabled=true needs flagstore.redis.uri");
            }
            return FlagAdmin.connect(properties.redis().options());
        }
    }
}
