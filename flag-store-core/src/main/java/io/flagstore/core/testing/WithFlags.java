package io.flagstore.core.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/** Container of repeated {@link WithFlag} annotations; write {@code @WithFlag} several times instead. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(FlagStoreExtension.class)
public @interface WithFlags {
    /** {@return the pinned flags} */
    WithFlag[] value();
}
