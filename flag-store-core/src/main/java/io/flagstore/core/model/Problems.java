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
    private static final NameSyntax SIMPLE_NAME = new NameSyntax("A-Za-z0-9_-", "A-Za-z0-9_-", Integer.MAX_VALUE);

    private final String rootLabel;
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> covered = new ArrayList<>();

    /** @param rootLabel what a problem about the whole input is reported as, such as {@code flag} */
    Problems(String rootLabel) {
        this.rootLabel = rootLabel;
    }

    /** A validation problem; dropped when the reader already reported on the path or an ancestor. */
    void add(String path, String message) {
        if (!isCovered(path)) {
            problems.add(new Problem(path, (path.isEmpty() ? rootLabel : path) + ": " + message));
        }
    }

    /** A reading problem: always reported, and covers the path against validation problems. */
    void parse(String path, String message) {
        add(path, message);
        covered.add(path);
    }

    /** Covers a path (a part replaced by a placeholder) without reporting anything. */
    void suppress(String path) {
        covered.add(path);
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
    boolean isCovered(String path) {
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

    /** {@code base.name}, or {@code name} at the root. */
    static String field(String base, String name) {
        return base.isEmpty() ? name : base + "." + name;
    }

    /** {@code base[i]}. */
    static String index(String base, int i) {
        return base + "[" + i + "]";
    }

    /** A map member such as a variant name: {@code base.on}, or {@code base["a.b"]} for other names. */
    static String member(String base, String name) {
        return SIMPLE_NAME.matches(name)
                ? field(base, name)
                : base + "[\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    /** A value quoted for a message, shortened when long. */
    static String quote(String value) {
        return "'" + (value.length() > 80 ? value.substring(0, 77) + "..." : value) + "'";
    }
}
