/**
 * For Spring Boot applications: auto-configuration of a {@link io.flagstore.core.FlagClient} from
 * {@code flagstore.*} properties ({@link io.flagstore.spring.boot.FlagStoreProperties}), with an
 * Actuator health indicator and info contributor, the application's {@code MeterRegistry}, the
 * OpenFeature provider when its SDK is present, and an optional {@code FlagAdmin}. Every bean backs
 * off when the application defines its own. See docs/spring-boot.md.
 */
package io.flagstore.spring.boot;
