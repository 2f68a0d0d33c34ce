package io.flagstore.console.view;

import java.util.List;

/**
 * The kill switches of one tag.
 *
 * @param tag the tag
 * @param rows its flags
 * @param on how many are on
 * @param canOperate whether the user may switch them
 */
public record TagView(String tag, List<FlagRow> rows, int on, boolean canOperate) {
    public TagView {
        rows = List.copyOf(rows);
    }
}
