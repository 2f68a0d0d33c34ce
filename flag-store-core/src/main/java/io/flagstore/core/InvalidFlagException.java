package io.flagstore.core;

import java.util.List;

/**
 * A definition (flag, segment, document or batch) was refused; nothing was written. {@link
 * #problems()} lists every problem found, each naming the field, such as {@code
 * "rules[1].clauses[0].op: unknown operator 'startWith'"}.
 */
public class InvalidFlagException extends FlagStoreException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidFlagException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /** {@return every problem found, in document order; never empty} */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid definition needs at least one problem");
        }
        return problems.size() == 1
                ? "invalid definition: " + problems.get(0)
                : "invalid definition, " + problems.size() + " problems:\n  " + String.join("\n  ", problems);
    }
}
