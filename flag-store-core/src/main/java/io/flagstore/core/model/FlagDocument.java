package io.flagstore.core.model;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Many flags and segments in one JSON document, {@code {"flags":[...],"segments":[...]}}: the form of
 * exports, flag files and apply files. A set: flags and segments are kept sorted by key (so equal
 * sets write equal bytes) and keys are unique. Immutable.
 *
 * <p>Reading a document ({@link FlagJson#readDocument}) validates every item but not references
 * between items; check those with {@link FlagValidator#problemsInSet}, against the document alone
 * when it is the whole set, or merged with the current set when it is applied on top of one.
 *
 * @param flags the flags, sorted by key
 * @param segments the segments, sorted by key
 */
public record FlagDocument(List<Flag> flags, List<Segment> segments) {
    /**
     * @throws IllegalArgumentException if two flags or two segments share a key
     * @throws NullPointerException if a list or an element is null
     */
    public FlagDocument {
        flags = flags.stream().sorted(Comparator.comparing(Flag::key)).toList();
        segments = segments.stream().sorted(Comparator.comparing(Segment::key)).toList();
        requireUnique(flags.stream().map(Flag::key).toList(), "flag");
        requireUnique(segments.stream().map(Segment::key).toList(), "segment");
    }

    private static void requireUnique(List<String> keys, String what) {
        Set<String> seen = new HashSet<>();
        for (String key : keys) {
            if (!seen.add(key)) {
                throw new IllegalArgumentException("duplicate " + what + " key '" + key + "'");
            }
        }
    }
}
