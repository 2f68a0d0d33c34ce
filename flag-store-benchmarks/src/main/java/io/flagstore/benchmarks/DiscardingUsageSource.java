package io.flagstore.benchmarks;

import io.flagstore.core.spi.FlagSink;
import io.flagstore.core.spi.FlagSource;
import io.flagstore.core.spi.UsageSink;
import java.time.Instant;
import java.util.Set;

/** A source that takes usage and drops it: turns the client's usage recording on, without Redis. */
final class DiscardingUsageSource implements FlagSource, UsageSink {
    private final FlagSource delegate;

    DiscardingUsageSource(FlagSource delegate) {
        this.delegate = delegate;
    }

    @Override
    public void start(FlagSink sink) {
        delegate.start(sink);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void flagsEvaluated(Set<String> keys, Instant at) {
        // measured: the marking on the hot path, not the write
    }
}
