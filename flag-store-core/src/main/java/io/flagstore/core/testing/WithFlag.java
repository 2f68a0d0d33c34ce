package io.flagstore.core.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pins a flag for a test run with {@link FlagStoreExtension}: on the test class (every test) or a
 * test method (that test; wins over the class for the same key). Repeatable. The annotation
 * registers the extension itself, so a pin can never be silently ignored for want of an
 * {@code @ExtendWith}; in a Spring test context ({@code @SpringBootTest}) the Spring Boot starter
 * serves the pins from the context's client instead.
 *
 * <pre>{@code
 * @WithFlag(key = "new-checkout", value = "true")
 * class CheckoutTest {
 *     @Test
 *     @WithFlag(key = "checkout-theme", value = "dark")
 *     void darkTheme(FlagClient flags) { ... }
 * }
 * }</pre>
 *
 * <p>Values are read as in {@link TestFlags#set(String, String, String)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(WithFlags.class)
@ExtendWith(FlagStoreExtension.class)
public @interface WithFlag {
    /** {@return the flag key} */
    String key();

    /** {@return the value served to everyone, as text} */
    String value();

    /** {@code boolean}, {@code string}, {@code number} or {@code json}; empty (default) infers it. */
    String type() default "";
}
