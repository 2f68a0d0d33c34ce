package io.flagstore.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.OpenFeatureAPI;
import io.flagstore.core.ClientState;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FileFlagSource;
import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.model.Flag;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.redis.FlagAdmin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Each condition of the auto-configuration, on an {@link ApplicationContextRunner}. */
class FlagStoreAutoConfigurationTest {
    private static final EvaluationContext USER = EvaluationContext.of("user-1");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    FlagStoreAutoConfiguration.class,
                    FlagStoreActuatorAutoConfiguration.class,
                    FlagStoreOpenFeatureAutoConfiguration.class))
            .withPropertyValues("flagstore.local.location=classpath:test-flags.json");

    /** The status code of the health indicator, through either Boot generation's API. */
    static String healthStatus(Object indicator) throws ReflectiveOperationException {
        Object health = indicator.getClass().getMethod("health").invoke(indicator);
        return health.getClass().getMethod("getStatus").invoke(health).toString();
    }

    @Test
    void aClasspathDocumentIsReadIntoAClientBean() {
        runner.run(context -> {
            FlagClient client = context.getBean(FlagClient.class);
            assertThat(client.isEnabled("new-checkout", USER)).isTrue();
            assertThat(client.isEnabled("payments-api", USER)).isFalse();
            assertThat(context.getBean(FlagSource.class)).isInstanceOf(InMemoryFlagSource.class);
        });
    }

    @Test
    void aFileLocationIsAFileSourceAndTheClientClosesWithTheContext(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("flags.json");
        Files.writeString(file, "{\"flags\": [{\"key\": \"f\", \"enabled\": true}]}");
        FlagClient[] client = new FlagClient[1];
        runner.withPropertyValues("flagstore.local.location=file:" + file, "flagstore.local.watch=false")
                .run(context -> {
                    client[0] = context.getBean(FlagClient.class);
                    assertThat(context.getBean(FlagSource.class)).isInstanceOf(FileFlagSource.class);
                    assertThat(client[0].isEnabled("f", USER)).isTrue();
                });
        assertThat(client[0].health().state()).isEqualTo(ClientState.CLOSED);
    }

    @Test
    void withoutAnySourceStartUpFailsNamingTheProperties() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FlagStoreAutoConfiguration.class))
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("flagstore.redis.uri")
                        .hasMessageContaining("flagstore.local.location"));
    }

    @Test
    void disabledConfiguresNothing() {
        runner.withPropertyValues("flagstore.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(FlagClient.class)
                .doesNotHaveBean("flagStoreHealthIndicator"));
    }

    @Test
    void theApplicationsClientWins() {
        runner.withBean(FlagClient.class, () -> FlagClient.builder()
                        .source(InMemoryFlagSource.of(Flag.killSwitch("mine")))
                        .build())
                .run(context -> {
                    assertThat(context).hasSingleBean(FlagClient.class).doesNotHaveBean(FlagSource.class);
                    assertThat(context.getBean(FlagClient.class).isEnabled("mine", USER))
                            .isTrue();
                });
    }

    @Test
    void theApplicationsSourceIsUsed() {
        runner.withBean(FlagSource.class, () -> InMemoryFlagSource.of(Flag.killSwitch("from-source")))
                .run(context -> assertThat(context.getBean(FlagClient.class).isEnabled("from-source", USER))
                        .isTrue());
    }

    @Test
    void overridesWinOverTheSource() {
        runner.withPropertyValues("flagstore.overrides.payments-api=true")
                .run(context -> assertThat(context.getBean(FlagClient.class).isEnabled("payments-api", USER))
                        .isTrue());
    }

    @Test
    void customizersAdjustTheBuilder() {
        runner.withBean(
                        FlagClientBuilderCustomizer.class,
                        () -> builder ->
                                builder.overrides(io.flagstore.core.LocalOverrides.of(Map.of("payments-api", true))))
                .run(context -> assertThat(context.getBean(FlagClient.class).isEnabled("payments-api", USER))
                        .isTrue());
    }

    @Test
    void theApplicationsRegistryGetsTheMetersOnce() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(FlagClient.class).isEnabled("new-checkout", USER);
            assertThat(registry.find("flagstore.flags").gauges()).hasSize(1);
            assertThat(registry.find("flagstore.flags").gauge().value()).isEqualTo(2.0);
            assertThat(registry.find("flagstore.evaluations").meters()).isNotEmpty();
        });
    }

    @Test
    void withoutARegistryTheClientHasNoMeters() {
        runner.run(context -> assertThat(context).doesNotHaveBean("flagStoreMeterRegistry"));
    }

    @Test
    void healthIsUpWhenReadyAndOutOfServiceWhenStale() {
        runner.withBean(FlagSource.class, () -> InMemoryFlagSource.of(Flag.killSwitch("k")))
                .run(context -> {
                    Object indicator = context.getBean("flagStoreHealthIndicator");
                    assertThat(healthStatus(indicator)).isEqualTo("UP");
                    ((InMemoryFlagSource) context.getBean(FlagSource.class))
                            .reportState(io.flagstore.core.spi.SourceState.STALE, "redis away");
                    assertThat(healthStatus(indicator)).isEqualTo("OUT_OF_SERVICE");
                });
    }

    @Test
    void theStatusMappingCoversEveryState() {
        assertThat(FlagStoreStatus.status(ClientState.READY)).isEqualTo("UP");
        assertThat(FlagStoreStatus.status(ClientState.STALE)).isEqualTo("OUT_OF_SERVICE");
        assertThat(FlagStoreStatus.status(ClientState.NAMESPACE_RESET)).isEqualTo("OUT_OF_SERVICE");
        assertThat(FlagStoreStatus.status(ClientState.INITIALIZING)).isEqualTo("DOWN");
        assertThat(FlagStoreStatus.status(ClientState.CLOSED)).isEqualTo("DOWN");
    }

    @Test
    void withoutActuatorOrOpenFeatureOnTheClasspathTheClientStillWorks() {
        runner.withClassLoader(new FilteredClassLoader(
                        "org.springframework.boot.actuate", "org.springframework.boot.health", "dev.openfeature"))
                .run(context -> {
                    assertThat(context)
                            .hasNotFailed()
                            .doesNotHaveBean("flagStoreHealthIndicator")
                            .doesNotHaveBean("flagStoreInfoContributor")
                            .doesNotHaveBean("flagStoreOpenFeatureRegistration");
                    assertThat(context.getBean(FlagClient.class).isEnabled("new-checkout", USER))
                            .isTrue();
                });
    }

    @Test
    void theHealthIndicatorCanBeSwitchedOff() {
        runner.withPropertyValues("management.health.flagstore.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("flagStoreHealthIndicator"));
    }

    @Test
    void infoShowsNamespaceStateAndVersion() {
        runner.run(context -> {
            Info.Builder builder = new Info.Builder();
            context.getBean("flagStoreInfoContributor", InfoContributor.class).contribute(builder);
            @SuppressWarnings("unchecked")
            Map<String, Object> flagstore =
                    (Map<String, Object>) builder.build().getDetails().get("flagstore");
            assertThat(flagstore)
                    .containsEntry("namespace", "local")
                    .containsEntry("state", "READY")
                    .containsEntry("version", 1L)
                    .containsEntry("flags", 2);
        });
    }

    @Test
    void theOpenFeatureProviderServesTheClientsFlagsAndIsRemovedOnClose() {
        runner.withPropertyValues("flagstore.openfeature.domain=starter-test").run(context -> {
            assertThat(OpenFeatureAPI.getInstance().getClient("starter-test").getBooleanValue("new-checkout", false))
                    .isTrue();
        });
        assertThat(OpenFeatureAPI.getInstance()
                        .getProvider("starter-test")
                        .getMetadata()
                        .getName())
                .isNotEqualTo("flag-store");
    }

    @Test
    void theOpenFeatureProviderCanBeSwitchedOff() {
        runner.withPropertyValues("flagstore.openfeature.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("flagStoreOpenFeatureRegistration"));
    }

    @Test
    void noFlagAdminUnlessEnabled() {
        runner.run(context -> assertThat(context).doesNotHaveBean(FlagAdmin.class));
        runner.withPropertyValues("flagstore.admin.enabled=true").run(context -> assertThat(context)
                .hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("flagstore.redis.uri"));
    }

    @Test
    void anInvalidRedisUriIsRefusedNamingIt() {
        runner.withPropertyValues("flagstore.redis.uri=http://flags:6379").run(context -> assertThat(context)
                .hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("http://flags:6379"));
    }

    @Test
    void aPresenceKeyFileThatHoldsNoEd25519KeyStopsStartUpNamingIt(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("checkout.key"), "not a key");
        runner.withPropertyValues(
                        "flagstore.redis.uri=redis://127.0.0.1:6379", "flagstore.redis.presence-key-file=" + file)
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("presenceKeyFile " + file + ": not a PEM private key")
                        .hasStackTraceContaining("BEGIN PRIVATE KEY"));
    }
}
