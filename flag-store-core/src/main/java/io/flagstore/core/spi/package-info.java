/**
 * For authors of flag sources: the {@link io.flagstore.core.spi.FlagSource} SPI through which a
 * store delivers full snapshots and versioned incremental changes to a {@code FlagClient}.
 */
package io.flagstore.core.spi;
