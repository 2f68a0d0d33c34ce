package io.flagstore.console.view;

import java.util.List;

/**
 * The fleet page.
 *
 * @param ns the namespace
 * @param version the namespace version
 * @param rows one per instance
 * @param summary one line, e.g. "5 instances of 3 services, all at v42"
 * @param healthy whether every running instance is at the namespace's version and epoch
 */
public record FleetView(String ns, long version, List<FleetRow> rows, String summary, boolean healthy) {
    public FleetView {
        rows = List.copyOf(rows);
    }
}
