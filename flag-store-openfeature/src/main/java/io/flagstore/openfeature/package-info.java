/**
 * For applications that speak OpenFeature: {@link io.flagstore.openfeature.FlagStoreProvider}, an
 * OpenFeature Java SDK provider that evaluates flag-store flags locally through a {@code
 * FlagClient}. See {@code docs/openfeature.md} for the reason and error mapping, events and
 * context mapping.
 */
package io.flagstore.openfeature;
