package io.flagstore.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagstore.core.EvaluationContext;
import io.flagstore.core.FlagClient;
import io.flagstore.core.WithoutMicrometer;
import io.flagstore.core.model.Flag;
import io.flagstore.redis.testing.RedisServerExtension;
import java.net.URLClassLoader;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Micrometer is optional for flag-store-redis too: a source and an admin without a registry load no
 * Micrometer class.
 */
class RedisWithoutMicrometerIT {
    @RegisterExtension
    static RedisServerExtension redis = new RedisServerExtension();

    @Test
    void aSourceAndAnAdminWithoutARegistryRunWithoutMicrometerOnTheClassPath() throws Exception {
        // A second copy of Lettuce in this JVM cannot register its JFR event classes under the same names;
        // the probe's copy reads this switch when it first connects.
        String jfr = System.setProperty("io.lettuce.core.jfr", "false");
        try (URLClassLoader loader = WithoutMicrometer.classLoader()) {
            Function<String, String> probe = WithoutMicrometer.load(loader, Probe.class);

            assertThat(probe.apply(redis.uri() + " " + redis.uniqueNamespace()))
                    .isEqualTo("created: true, disabled: false");
        } finally {
            if (jfr == null) {
                System.clearProperty("io.lettuce.core.jfr");
            } else {
                System.setProperty("io.lettuce.core.jfr", jfr);
            }
        }
    }

    /** Loaded without Micrometer; takes "URI NAMESPACE". */
    public static final class Probe implements Function<String, String> {
        @Override
        public String apply(String where) {
            RedisOptions options = RedisOptions.builder()
                    .uri(where.split(" ")[0])
                    .namespace(where.split(" ")[1])
                    .build();
            EvaluationContext user = EvaluationContext.of("user-1");
            try (FlagAdmin admin = FlagAdmin.connect(options)) {
                admin.create(Flag.killSwitch("payments-api"));
                try (FlagClient flags = FlagClient.builder()
                        .source(RedisFlagSource.builder().options(options).build())
                        .failFast(true)
                        .build()) {
                    boolean created = flags.boolValue("payments-api", user, false);
                    admin.disable("payments-api");
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (flags.boolValue("payments-api", user, true) && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    return "created: " + created + ", disabled: " + flags.boolValue("payments-api", user, true);
                }
            }
        }
    }
}
