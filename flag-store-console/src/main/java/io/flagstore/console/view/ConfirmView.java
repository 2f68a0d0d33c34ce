package io.flagstore.console.view;

import java.util.List;
import java.util.Map;

/**
 * The confirmation of a write: what will change, and the form that makes it.
 *
 * @param heading e.g. "Turn OFF payments-api in prod?"
 * @param changes one line per change
 * @param action where the form posts
 * @param fields the form's hidden fields (the request being confirmed)
 * @param danger whether the change is destructive (shown in red)
 * @param cancelUrl where Cancel goes
 */
public record ConfirmView(
        String heading,
        List<String> changes,
        String action,
        Map<String, String> fields,
        boolean danger,
        String cancelUrl) {
    public ConfirmView {
        changes = List.copyOf(changes);
        fields = Map.copyOf(fields);
    }
}
