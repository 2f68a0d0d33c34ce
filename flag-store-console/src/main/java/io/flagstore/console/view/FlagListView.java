package io.flagstore.console.view;

import java.util.List;

/**
 * The flag list page.
 *
 * @param rows the flags of this page
 * @param total how many flags match the filters
 * @param page the page shown, from 1
 * @param pages how many pages there are
 * @param q the search text
 * @param tag the tag filter
 * @param owner the owner filter
 * @param state the state filter: on, off or empty
 * @param type the type filter
 * @param tags every tag in the namespace, for the filter menu
 * @param owners every owner, for the filter menu
 * @param prevUrl the previous page's URL, or null
 * @param nextUrl the next page's URL, or null
 */
public record FlagListView(
        List<FlagRow> rows,
        int total,
        int page,
        int pages,
        String q,
        String tag,
        String owner,
        String state,
        String type,
        List<String> tags,
        List<String> owners,
        String prevUrl,
        String nextUrl) {
    public FlagListView {
        rows = List.copyOf(rows);
        tags = List.copyOf(tags);
        owners = List.copyOf(owners);
    }
}
