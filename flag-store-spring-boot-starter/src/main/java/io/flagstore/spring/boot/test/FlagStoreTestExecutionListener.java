package io.flagstore.spring.boot.test;

import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.model.Flag;
import io.flagstore.core.testing.TestFlags;
import io.flagstore.core.testing.WithFlag;
import java.util.List;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Before each test method of a class that uses {@code @WithFlag}, resets the context's {@link
 * TestFlags} to that test's pins (outer classes, the class, then the method; the later wins), so a
 * flag changed by one test does not leak into the next.
 */
public final class FlagStoreTestExecutionListener extends AbstractTestExecutionListener {
    /** After Spring's dependency injection listener (2000), before transactional ones. */
    @Override
    public int getOrder() {
        return 2100;
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        if (!Pins.anyIn(testContext.getTestClass())) {
            return;
        }
        TestFlags flags = testContext
                .getApplicationContext()
                .getBean(FlagStoreContextCustomizerFactory.TEST_FLAGS_BEAN, TestFlags.class);
        InMemoryFlagSource source = flags.source();
        source.apply(List.of(), source.flags().stream().map(Flag::key).toList());
        for (WithFlag pin : Pins.forTest(testContext.getTestClass(), testContext.getTestMethod())) {
            try {
                flags.set(pin.key(), pin.value(), pin.type());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "@WithFlag(key = \"" + pin.key() + "\") on " + testContext.getTestMethod() + ": "
                                + e.getMessage(),
                        e);
            }
        }
    }
}
