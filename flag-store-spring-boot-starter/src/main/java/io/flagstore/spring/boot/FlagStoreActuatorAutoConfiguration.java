package io.flagstore.spring.boot;

import io.flagstore.core.FlagClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The flag client in Actuator: a health indicator {@code flagStore} ({@link FlagStoreStatus} says
 * how states map) and an info contributor {@code flagstore}. Spring Boot 3 and 4 keep the health API
 * in different packages; the class present decides which indicator is registered.
 */
@AutoConfiguration(after = FlagStoreAutoConfiguration.class)
@ConditionalOnBean(FlagClient.class)
public class FlagStoreActuatorAutoConfiguration {
    static final String HEALTH_BEAN = "flagStoreHealthIndicator";

    /** Spring Boot 3: {@code org.springframework.boot.actuate.health}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.flagstore", name = "enabled", matchIfMissing = true)
    static class Boot3Health {
        @Bean(HEALTH_BEAN)
        @ConditionalOnMissingBean(name = HEALTH_BEAN)
        org.springframework.boot.actuate.health.HealthIndicator flagStoreHealthIndicator(
                FlagClient client, FlagStoreProperties properties) {
            FlagStoreStatus status = new FlagStoreStatus(client, FlagStoreStatus.namespace(properties));
            return () -> {
                Map.Entry<String, Map<String, Object>> health = status.health();
                return org.springframework.boot.actuate.health.Health.status(health.getKey())
                        .withDetails(health.getValue())
                        .build();
            };
        }
    }

    /** Spring Boot 4: {@code org.springframework.boot.health.contributor}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.flagstore", name = "enabled", matchIfMissing = true)
    static class Boot4Health {
        @Bean(HEALTH_BEAN)
        @ConditionalOnMissingBean(name = HEALTH_BEAN)
        org.springframework.boot.health.contributor.HealthIndicator flagStoreHealthIndicator(
                FlagClient client, FlagStoreProperties properties) {
            FlagStoreStatus status = new FlagStoreStatus(client, FlagStoreStatus.namespace(properties));
            return () -> {
                Map.Entry<String, Map<String, Object>> health = status.health();
                return org.springframework.boot.health.contributor.Health.status(health.getKey())
                        .withDetails(health.getValue())
                        .build();
            };
        }
    }

    /** {@code /actuator/info}: the client's details and, when the Redis source records it, propagation lag. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(InfoContributor.class)
    @ConditionalOnProperty(prefix = "management.info.flagstore", name = "enabled", matchIfMissing = true)
    static class Info {
        @Bean
        @ConditionalOnMissingBean(name = "flagStoreInfoContributor")
        InfoContributor flagStoreInfoContributor(
                FlagClient client, FlagStoreProperties properties, ObjectProvider<MeterRegistry> registry) {
            FlagStoreStatus status = new FlagStoreStatus(client, FlagStoreStatus.namespace(properties));
            return builder -> {
                Map<String, Object> details = new LinkedHashMap<>(status.details());
                MeterRegistry meters = registry.getIfUnique();
                // One timer per delivery path (push, catch-up, full load); the info shows them together.
                Collection<Timer> lags = meters == null
                        ? List.of()
                        : meters.find("flagstore.source.propagation.lag").timers();
                long count = lags.stream().mapToLong(Timer::count).sum();
                if (count > 0) {
                    double total = lags.stream()
                            .mapToDouble(t -> t.totalTime(TimeUnit.MILLISECONDS))
                            .sum();
                    double max = lags.stream()
                            .mapToDouble(t -> t.max(TimeUnit.MILLISECONDS))
                            .max()
                            .orElse(0);
                    details.put("propagationLagMeanMs", total / count);
                    details.put("propagationLagMaxMs", max);
                }
                builder.withDetail("flagstore", details);
            };
        }
    }
}
