package io.flagstore.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLClassLoader;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency of core: a client built without a registry must not load a
 * single Micrometer class.
 */
class NoMicrometerTest {

    @Test
    void aClientWithoutARegistryRunsWithoutMicrometerOnTheClassPath() throws Exception {
        try (URLClassLoader loader = WithoutMicrometer.classLoader()) {
            Supplier<String> probe = WithoutMicrometer.load(loader, Probe.class);

            assertThat(probe.get()).isEqualTo("on=true, off=false, missing=fallback, changed=flag, reason=FALLTHROUGH");
        }
    }

    /** Loaded without Micrometer: everything an application does without metrics. */
    public static final class Probe implements Supplier<String> {
        @Override
        public String get() {
            InMemoryFlagSource source =
                    InMemoryFlagSource.of(TestFlagDefinitions.bool("on", true), TestFlagDefinitions.bool("off", false));
            BlockingQueue<String> changed = new ArrayBlockingQueue<>(1);
            try (FlagClient flags =
                    FlagClient.builder().source(source).failFast(true).build()) {
                EvaluationContext user = EvaluationContext.of("user-1");
                flags.onChange("off", event -> changed.add("flag"));
                flags.track("checkout.completed", user);
                String before = "on=" + flags.isEnabled("on", user) + ", off=" + flags.isEnabled("off", user)
                        + ", missing=" + flags.stringValue("missing", user, "fallback");
                source.setEnabled("off", true);
                return before + ", changed=" + changed.poll(5, TimeUnit.SECONDS) + ", reason="
                        + flags.boolDetail("off", user, false).reason();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
