package io.flagstore.console.view;

import java.util.List;

/**
 * The live delivery of one write to every service instance.
 *
 * @param ns the namespace
 * @param key the flag
 * @param version the version every instance must reach
 * @param rows one per instance
 * @param confirmed how many confirmed
 * @param lagging how many are named lagging
 * @param done whether every instance confirmed or is named lagging (the live stream may stop)
 * @param summary one line, e.g. "3 of 3 instances confirmed v42"
 * @param error why the fleet could not be read, or null
 */
public record DeliveryView(
        String ns,
        String key,
        long version,
        List<DeliveryRow> rows,
        int confirmed,
        int lagging,
        boolean done,
        String summary,
        String error) {
    public DeliveryView {
        rows = List.copyOf(rows);
    }
}
