/**
 * The flag-store web console and its JSON HTTP API, for operators: the flag list, kill switches by
 * tag, each flag's live delivery to every service instance, history and the fleet. Start it with
 * {@link io.flagstore.console.ConsoleMain} ({@code bin/console}) or embed it with {@link
 * io.flagstore.console.Console}; everything else in this package is internal.
 */
package io.flagstore.console;
