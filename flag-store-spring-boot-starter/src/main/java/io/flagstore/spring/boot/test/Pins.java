package io.flagstore.spring.boot.test;

import io.flagstore.core.testing.WithFlag;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.annotation.AnnotatedElementUtils;

/** The {@link WithFlag} pins of a test class and its methods. */
final class Pins {
    private Pins() {}

    /** Whether the class, an enclosing class or any of its methods pins a flag. */
    static boolean anyIn(Class<?> testClass) {
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            if (!of(type).isEmpty()) {
                return true;
            }
            for (Method method : type.getDeclaredMethods()) {
                if (!of(method).isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The pins for one test: outer classes first, then the class, then the method (later wins). */
    static List<WithFlag> forTest(Class<?> testClass, Method method) {
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            classes.add(0, type);
        }
        List<WithFlag> pins = new ArrayList<>();
        classes.forEach(type -> pins.addAll(of(type)));
        pins.addAll(of(method));
        return pins;
    }

    private static List<WithFlag> of(java.lang.reflect.AnnotatedElement element) {
        return List.copyOf(AnnotatedElementUtils.findMergedRepeatableAnnotations(element, WithFlag.class));
    }
}
