/**
 * For applications' own tests: {@link io.flagstore.core.testing.WithFlag @WithFlag} on a
 * {@code @SpringBootTest} class or method pins flags in the application context's {@code
 * FlagClient}, with no Redis and no JUnit extension. Registered through {@code
 * META-INF/spring.factories}; needs {@code spring-test}, as {@code spring-boot-starter-test} has.
 */
package io.flagstore.spring.boot.test;
