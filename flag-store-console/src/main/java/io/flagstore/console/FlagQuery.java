package io.flagstore.console;

import io.flagstore.core.model.Flag;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The flag list's filters and paging, shared by the page and the API. Filtering runs over the
 * in-memory flag set (10,000 flags take well under a millisecond); a page holds {@link #size} flags.
 *
 * @param q text the key or description contains (case-insensitive), or empty
 * @param tag a tag the flag has, or empty
 * @param owner the owner, or empty
 * @param state {@code on}, {@code off} or empty
 * @param type {@code boolean}, {@code string}, {@code number}, {@code json} or empty
 * @param page the page, from 1
 * @param size flags per page, 1 to {@value #MAX_SIZE}
 */
record FlagQuery(String q, String tag, String owner, String state, String type, int page, int size) {
    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 500;

    FlagQuery {
        q = q == null ? "" : q.strip();
        tag = tag == null ? "" : tag;
        owner = owner == null ? "" : owner;
        state = state == null ? "" : state;
        type = type == null ? "" : type;
        if (!state.isEmpty() && !state.equals("on") && !state.equals("off")) {
            throw new ApiError(ApiError.Code.USAGE, "state must be on or off, not '" + state + "'", null);
        }
        if (page < 1) {
            throw new ApiError(ApiError.Code.USAGE, "page must be 1 or more, not " + page, null);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new ApiError(ApiError.Code.USAGE, "size must be 1.." + MAX_SIZE + ", not " + size, null);
        }
    }

    /** The matching flags, in key order. */
    List<Flag> filter(Collection<Flag> flags) {
        String needle = q.toLowerCase(Locale.ROOT);
        return flags.stream()
                .filter(f -> needle.isEmpty()
                        || f.key().contains(needle)
                        || (f.description() != null
                                && f.description().toLowerCase(Locale.ROOT).contains(needle)))
                .filter(f -> tag.isEmpty() || f.tags().contains(tag))
                .filter(f -> owner.isEmpty() || owner.equals(f.owner()))
                .filter(f -> state.isEmpty() || f.enabled() == state.equals("on"))
                .filter(f -> type.isEmpty() || f.type().name().equalsIgnoreCase(type))
                .toList();
    }

    /** This query's page of {@code matching}. */
    List<Flag> page(List<Flag> matching) {
        int from = Math.min(matching.size(), (page - 1) * size);
        return matching.subList(from, Math.min(matching.size(), from + size));
    }

    static int pages(int total, int size) {
        return Math.max(1, (total + size - 1) / size);
    }
}
