/**
 * For service developers: the small API a service uses to evaluate flags. {@link
 * io.flagstore.core.FlagClient} (typed getters, snapshots, change listeners, health), {@link
 * io.flagstore.core.EvaluationContext} and the results it returns ({@link
 * io.flagstore.core.EvaluationDetail}, {@link io.flagstore.core.Reason}, {@link
 * io.flagstore.core.ErrorKind}), the sources that need no Redis ({@link
 * io.flagstore.core.InMemoryFlagSource}, {@link io.flagstore.core.FileFlagSource}), {@link
 * io.flagstore.core.LocalOverrides} for local development, and the exceptions of the admin side.
 * See docs/client.md.
 */
package io.flagstore.core;
