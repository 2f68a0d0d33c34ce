package io.flagstore.core.spi;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import java.util.Map;

/**
 * A complete flag set at one namespace version, delivered by a {@link FlagSource} on start and on a
 * full reload. It replaces everything the client holds.
 *
 * @param version the namespace version this set reflects
 * @param flags every flag by key
 * @param segments every segment by key
 */
public record FlagData(long version, Map<String, Flag> flags, Map<String, Segment> segments) {
    public FlagData {
        flags = Map.copyOf(flags);
        segments = Map.copyOf(segments);
    }

    /** {@return an empty set at version 0} */
    public static FlagData empty() {
        return new FlagData(0, Map.of(), Map.of());
    }
}
