package io.flagstore.core.spi;

import io.flagstore.core.InMemoryFlagSource;
import io.flagstore.core.model.Flag;
import java.util.List;

class InMemoryFlagSourceContractTest extends FlagSourceContract {
    private InMemoryFlagSource source;

    @Override
    protected FlagSource newSource(List<Flag> initial) {
        source = InMemoryFlagSource.of(initial);
        return source;
    }

    @Override
    protected void write(List<Flag> upserts, List<String> deletes) {
        source.apply(upserts, deletes);
    }
}
