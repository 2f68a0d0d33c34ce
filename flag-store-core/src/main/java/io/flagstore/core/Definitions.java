package io.flagstore.core;

import io.flagstore.core.model.Flag;
import io.flagstore.core.model.Segment;
import java.util.Objects;

/** Comparisons of definitions that ignore write metadata (version, creation and update time, actor). */
final class Definitions {
    private Definitions() {}

    /** Whether {@code a} and {@code b} (either may be {@code null}) define the same flag. */
    static boolean same(Flag a, Flag b) {
        if (a == null || b == null) {
            return a == b;
        }
        return withoutWriteMetadata(a).equals(withoutWriteMetadata(b));
    }

    private static Flag withoutWriteMetadata(Flag flag) {
        return flag.toBuilder()
                .version(0)
                .createdAt(null)
                .updatedAt(null)
                .updatedBy(null)
                .build();
    }

    /** Whether {@code a} and {@code b} (either may be {@code null}) define the same segment. */
    static boolean same(Segment a, Segment b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.withVersion(0, null), b.withVersion(0, null));
    }
}
