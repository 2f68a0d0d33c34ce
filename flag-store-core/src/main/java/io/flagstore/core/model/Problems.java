package io.flagstore.core.model;

import io.flagstore.core.InvalidFlagException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects problems as {@code path: message}, in the order found. The JSON reader reports what it
 * cannot represent and marks those paths as covered, so the validator (run on what the reader could
 * build, with placeholders) does not report the same field again.
 */
final class Problems {
    private final String rootLabel;
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> covered = new ArrayList<>();

    /** @param rootLabel what a problem about the whole input is reported as, such as {@code flag} */
    Problems(String rootLabel) {
        this.rootLabel = rootLabel;
    }

    /** A validation problem; dropped when the reader already reported on the path or an ancestor. */
    void add(FieldPath path, String message) {
        if (!isCovered(path)) {
            String text = path.toString();
            problems.add(new Problem(text, (text.isEmpty() ? rootLabel : text) + ": " + message));
        }
    }

    /** A reading problem: always reported, and covers the path against validation problems. */
    void parse(FieldPath path, String message) {
        add(path, message);
        covered.add(path.toString());
    }

    /** Covers a path (a part replaced by a placeholder) without reporting anything. */
    void suppress(FieldPath path) {
        covered.add(path.toString());
    }

    /** The problems in document order (see {@link ProblemOrder}). */
    List<String> list() {
        List<Problem> sorted = new ArrayList<>(problems);
        Comparator<String> order = new ProblemOrder(rootLabel);
        sorted.sort((a, b) -> order.compare(a.path(), b.path()));
        return sorted.stream().map(Problem::text).toList();
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new InvalidFlagException(list());
        }
    }

    /** Whether a problem on {@code path} or an ancestor was reported by the reader or suppressed. */
    boolean isCovered(FieldPath at) {
        if (covered.isEmpty()) {
            return false; // the usual case: no text needed
        }
        String path = at.toString();
        for (String c : covered) {
            if (c.isEmpty()
                    || path.equals(c)
                    || path.startsWith(c) && (path.charAt(c.length()) == '.' || path.charAt(c.length()) == '[')) {
                return true;
            }
        }
        return false;
    }

    private record Problem(String path, String text) {}

    /** A value quoted for a message, shortened when long. */
    static String quote(String value) {
        return "'" + (value.length() > 80 ? value.substring(0, 77) + "..." : value) + "'";
    }
}
