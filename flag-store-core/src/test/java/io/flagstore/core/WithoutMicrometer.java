package io.flagstore.core;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A class loader over this test run's class path minus every Micrometer jar, under the platform loader:
 * classes loaded through it are the application's view when Micrometer is left out. A probe loaded
 * there talks to the test through JDK interfaces (such as {@code Function<String, String>}).
 */
public final class WithoutMicrometer {
    private WithoutMicrometer() {}

    /** A new loader; the caller closes it. */
    public static URLClassLoader classLoader() {
        // surefire and failsafe hand the forked JVM a manifest-only jar; the real path is in this property
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.replace('\\', '/').contains("/io/micrometer/"))
                .toList();
        URL[] urls = new URL[entries.size()];
        try {
            for (int i = 0; i < urls.length; i++) {
                urls[i] = Path.of(entries.get(i)).toUri().toURL();
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry", false, loader);
            throw new IllegalStateException("Micrometer is still on the class path: " + classPath);
        } catch (ClassNotFoundException expected) {
            return loader;
        }
    }

    /** Loads {@code probe} (public, with a public no-argument constructor) through {@code loader}. */
    @SuppressWarnings("unchecked")
    public static <T> T load(URLClassLoader loader, Class<? extends T> probe) {
        try {
            return (T)
                    loader.loadClass(probe.getName()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
