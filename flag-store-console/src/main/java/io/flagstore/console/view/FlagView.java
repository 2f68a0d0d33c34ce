package io.flagstore.console.view;

import java.util.List;
import java.util.Map;

/**
 * The flag page.
 *
 * @param row the flag's summary
 * @param definition the flag as JSON, indented
 * @param variants its variant names, in declared order
 * @param weights the fallthrough rollout (variant to percent; 100 for the one variant it serves without rollout)
 * @param targets variant to its targeted context keys
 * @param delivery the live delivery of its last write
 * @param history its newest audit entries
 * @param schedules its pending scheduled changes, one line each
 * @param canOperate whether the user may switch it, change rollout and targets
 */
public record FlagView(
        FlagRow row,
        String definition,
        List<String> variants,
        Map<String, String> weights,
        Map<String, String> targets,
        DeliveryView delivery,
        List<HistoryItem> history,
        List<String> schedules,
        boolean canOperate) {
    public FlagView {
        variants = List.copyOf(variants);
        history = List.copyOf(history);
        schedules = List.copyOf(schedules);
    }
}
