/**
 * {@code flagctl}, the operator's command line for flag-store: one picocli {@code Callable<Integer>}
 * class per subcommand, connection options in {@link io.flagstore.cli.ConnectionOptions}, every read
 * and write through {@code io.flagstore.redis.FlagAdmin}. Exit codes are in {@link
 * io.flagstore.cli.ExitCodes} and docs/cli.md. Not an API: only {@link io.flagstore.cli.Flagctl#main}
 * is meant to be called.
 */
package io.flagstore.cli;
