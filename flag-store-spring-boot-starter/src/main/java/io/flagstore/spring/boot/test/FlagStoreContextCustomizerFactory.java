package io.flagstore.spring.boot.test;

import io.flagstore.core.FlagClient;
import io.flagstore.core.testing.TestFlags;
import java.util.List;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * For a test class that uses {@code @WithFlag}: adds a {@link TestFlags} bean and a primary {@link
 * FlagClient} over it, so the auto-configured client (and its Redis source) backs off. Every such
 * class shares one cached context; {@link FlagStoreTestExecutionListener} sets each test's flags.
 */
public final class FlagStoreContextCustomizerFactory implements ContextCustomizerFactory {
    static final String TEST_FLAGS_BEAN = "flagStoreTestFlags";

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return Pins.anyIn(testClass) ? new Customizer() : null;
    }

    /** Equal to every other instance, so that the contexts of pinning test classes are shared. */
    private static final class Customizer implements ContextCustomizer {
        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            BeanDefinitionRegistry registry = (BeanDefinitionRegistry) context.getBeanFactory();
            registry.registerBeanDefinition(
                    TEST_FLAGS_BEAN, new RootBeanDefinition(TestFlags.class, TestFlags::create));
            RootBeanDefinition client = new RootBeanDefinition(FlagClient.class, () -> context.getBeanFactory()
                    .getBean(TEST_FLAGS_BEAN, TestFlags.class)
                    .client());
            client.setPrimary(true);
            registry.registerBeanDefinition("flagStoreTestClient", client);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Customizer;
        }

        @Override
        public int hashCode() {
            return Customizer.class.hashCode();
        }
    }
}
