package io.flagstore.core;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.FlagDocument;
import io.flagstore.core.model.FlagJson;
import io.flagstore.core.model.FlagValidator;
import io.flagstore.core.model.Segment;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reading a whole flag set from JSON, as the local sources do: every item, then the references between them. */
final class Documents {
    private Documents() {}

    /**
     * Reads {@code json} as a complete flag set: each flag and segment valid, and every segment or
     * prerequisite a flag names present in the document.
     *
     * @throws InvalidFlagException listing every problem found
     */
    static FlagDocument readCompleteSet(String json) {
        FlagDocument document = FlagJson.readDocument(json);
        List<String> references = FlagValidator.problemsInSet(
                byKey(document.flags(), Flag::key), byKey(document.segments(), Segment::key));
        if (!references.isEmpty()) {
            throw new InvalidFlagException(references);
        }
        return document;
    }

    private static <T> Map<String, T> byKey(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.toMap(key, item -> item));
    }
}
