/**
 * For application tests: pin flag states without Redis, with the JUnit 5 {@link
 * io.flagstore.core.testing.FlagStoreExtension} and {@link io.flagstore.core.testing.WithFlag}, or
 * with {@link io.flagstore.core.testing.TestFlags} from any test framework. JUnit is an optional
 * dependency of flag-store-core: only the extension needs it. See docs/client.md.
 */
package io.flagstore.core.testing;
