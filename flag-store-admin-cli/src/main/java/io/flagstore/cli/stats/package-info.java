/**
 * The statistics of {@code flagctl experiment results} (docs/experiments.md): conversion rates,
 * relative lift against the control with a fixed-horizon or an always-valid (sequential) interval,
 * and the sample-ratio-mismatch check. Pure functions of counts, no I/O; distributions come from
 * Apache Commons Math.
 */
package io.flagstore.cli.stats;
