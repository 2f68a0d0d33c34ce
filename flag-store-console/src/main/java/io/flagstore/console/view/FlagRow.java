package io.flagstore.console.view;

import java.util.List;

/**
 * One line of the flag list.
 *
 * @param key the flag key
 * @param type its type, lower case
 * @param enabled whether it is on
 * @param serving what it serves now, in words
 * @param owner the owner, or empty
 * @param tags its tags
 * @param description the description, or empty
 * @param version the version of its last write
 * @param updated when and by whom it was last written
 */
public record FlagRow(
        String key,
        String type,
        boolean enabled,
        String serving,
        String owner,
        List<String> tags,
        String description,
        long version,
        String updated) {
    public FlagRow {
        tags = List.copyOf(tags);
    }
}
