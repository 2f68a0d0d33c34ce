package io.flagstore.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.FlagAdmin;
import io.flagstore.redis.RedisFlagSource;
import io.flagstore.redis.RedisOptions;
import io.flagstore.redis.WriteOptions;
import io.flagstore.redis.testing.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.Channel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole path once, against a real Redis: an admin creates and disables a kill switch, a client
 * sees both, and its meters and its source's record it. The build runs this class with each supported
 * set of Lettuce, Netty, Jackson and Micrometer versions (passed as {@code expected.*} properties).
 */
class CompatibilitySmokeIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @Test
    void runsOnTheVersionsItIsMeantToTest() {
        assertThat(jarOf(RedisClient.class)).isEqualTo(jar("lettuce-core", "expected.lettuce"));
        assertThat(jarOf(Channel.class)).isEqualTo(jar("netty-transport", "expected.netty"));
        assertThat(jarOf(ObjectMapper.class)).isEqualTo(jar("jackson-databind", "expected.jackson"));
        assertThat(jarOf(MeterRegistry.class)).isEqualTo(jar("micrometer-core", "expected.micrometer"));
    }

    @Test
    void anAdminsWritesReachAClientAndItsMeters() {
        RedisOptions options = RedisOptions.builder()
                .uri(redis.uri())
                .namespace(redis.uniqueNamespace())
                .build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EvaluationContext user = EvaluationContext.of("user-1");
        try (FlagAdmin admin = FlagAdmin.connect(options)) {
            admin.create(Flag.killSwitch("payments-api"));
            try (FlagClient flags = FlagClient.builder()
                    .source(RedisFlagSource.builder()
                            .options(options)
                            .serviceName("compat")
                            .build())
                    .meterRegistry(registry)
                    .failFast(true)
                    .build()) {
                assertThat(flags.boolValue("payments-api", user, false)).isTrue();

                admin.disable("payments-api", WriteOptions.defaults().withReason("compatibility test"));

                await().atMost(Duration.ofSeconds(10)).until(() -> !flags.boolValue("payments-api", user, true));
                assertThat(registry.find("flagstore.evaluations").functionCounters().stream()
                                .mapToDouble(FunctionCounter::count)
                                .sum())
                        .as("flagstore.evaluations")
                        .isGreaterThanOrEqualTo(2);
                assertThat(registry.get("flagstore.flag.enabled")
                                .tag("flag", "payments-api")
                                .gauge()
                                .value())
                        .as("flagstore.flag.enabled")
                        .isZero();
                assertThat(registry.get("flagstore.source.updates").counter().count())
                        .as("flagstore.source.updates")
                        .isGreaterThanOrEqualTo(1);
            }
        }
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .getFileName()
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jar(String artifact, String versionProperty) {
        String version = System.getProperty(versionProperty);
        assertThat(version).as("system property %s", versionProperty).isNotBlank();
        return artifact + "-" + version + ".jar";
    }
}
