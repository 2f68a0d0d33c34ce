package io.flagstore.core.testing;

import io.flagstore.core.FlagClient;
import io.flagstore.core.InMemoryFlagSource;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension giving each test a fresh {@link FlagClient} over an {@link InMemoryFlagSource}
 * holding the flags of its {@link WithFlag} annotations (the outer classes', then a {@code @Nested}
 * class's, then the method's: the later wins for the same key).
 *
 * <p>The test gets them as parameters of type {@link FlagClient}, {@link InMemoryFlagSource} or
 * {@link TestFlags} (of test methods, {@code @BeforeEach} and {@code @AfterEach} methods), and in
 * non-static fields of those types that are {@code null} when the test starts. Change flags during
 * a test through the source or {@link TestFlags}. The client is closed after each test.
 *
 * <p>{@link WithFlag} registers this extension by itself. Under Spring's test context (a class
 * extended with Spring's {@code SpringExtension}, as {@code @SpringBootTest} is) it steps aside:
 * there the application context's client serves the pins.
 */
public final class FlagStoreExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(FlagStoreExtension.class);
    private static final String SPRING_EXTENSION = "org.springframework.test.context.junit.jupiter.SpringExtension";

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        if (underSpring(context)) {
            return;
        }
        TestFlags flags = TestFlags.create();
        // outermost class first, so a @Nested class and then the method win for the same key
        List<Object> instances = context.getRequiredTestInstances().getAllInstances();
        List<WithFlag> pins = new ArrayList<>();
        for (Object instance : instances) {
            pins.addAll(AnnotationSupport.findRepeatableAnnotations(instance.getClass(), WithFlag.class));
        }
        pins.addAll(AnnotationSupport.findRepeatableAnnotations(context.getRequiredTestMethod(), WithFlag.class));
        try {
            pins.forEach(pin -> flags.set(pin.key(), pin.value(), pin.type()));
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(
                    "@WithFlag on " + context.getDisplayName() + ": " + e.getMessage(), e);
        }
        context.getStore(NAMESPACE).put(TestFlags.class, flags);
        for (Object instance : instances) {
            inject(instance, flags);
        }
    }

    private static void inject(Object instance, TestFlags flags) throws IllegalAccessException {
        for (Class<?> type = instance.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                Object value = valueFor(field.getType(), flags);
                int modifiers = field.getModifiers();
                if (value != null && !Modifier.isStatic(modifiers) && !Modifier.isFinal(modifiers)) {
                    field.setAccessible(true);
                    if (field.get(instance) == null) {
                        field.set(instance, value);
                    }
                }
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestFlags flags = context.getStore(NAMESPACE).remove(TestFlags.class, TestFlags.class);
        if (flags != null) {
            flags.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        if (underSpring(extensionContext)) {
            return false;
        }
        Class<?> type = parameterContext.getParameter().getType();
        return type == FlagClient.class || type == InMemoryFlagSource.class || type == TestFlags.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        TestFlags flags = extensionContext.getStore(NAMESPACE).get(TestFlags.class, TestFlags.class);
        if (flags == null) {
            throw new ExtensionConfigurationException(
                    "FlagStoreExtension provides flags to test methods and @BeforeEach/@AfterEach methods only");
        }
        return valueFor(parameterContext.getParameter().getType(), flags);
    }

    private static boolean underSpring(ExtensionContext context) {
        for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getEnclosingClass()) {
            for (ExtendWith extendWith : AnnotationSupport.findRepeatableAnnotations(type, ExtendWith.class)) {
                for (Class<?> extension : extendWith.value()) {
                    if (extension.getName().equals(SPRING_EXTENSION)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Object valueFor(Class<?> type, TestFlags flags) {
        if (type == FlagClient.class) {
            return flags.client();
        }
        if (type == InMemoryFlagSource.class) {
            return flags.source();
        }
        return type == TestFlags.class ? flags : null;
    }
}
