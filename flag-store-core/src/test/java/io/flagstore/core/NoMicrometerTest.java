package io.flagstore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency of core: a client built without a registry must not load a
 * single Micrometer class. The probe runs in a class loader whose class path is this test's minus
 * every Micrometer jar.
 */
class NoMicrometerTest {

    @Test
    void aClientWithoutARegistryRunsWithoutMicrometerOnTheClassPath() throws Exception {
        try (URLClassLoader loader =
                new URLClassLoader(classPathWithoutMicrometer(), ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            @SuppressWarnings("unchecked")
            Supplier<String> probe = (Supplier<String>) loader.loadClass(Probe.class.getName())
                    .getDeclaredConstructor()
                    .newInstance();

            assertThat(probe.get()).isEqualTo("on=true, off=false, missing=fallback, changed=flag, reason=FALLTHROUGH");
        }
    }

    private static URL[] classPathWithoutMicrometer() throws Exception {
        // surefire hands the forked JVM a manifest-only jar; the real path is in this property
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.replace('\\', '/').contains("/io/micrometer/"))
                .toList();
        assertThat(entries).as("test class path").anyMatch(entry -> entry.contains("jackson-databind"));
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = Path.of(entries.get(i)).toUri().toURL();
        }
        return urls;
    }

    /** Loaded by the Micrometer-less class loader: everything an application does without metrics. */
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
