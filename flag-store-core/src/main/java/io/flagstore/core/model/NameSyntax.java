package io.flagstore.core.model;

/**
 * A name's syntax: one character from a first set, then up to {@code maxLength - 1} from a second,
 * all ASCII. Checked with a table instead of a regular expression: the validator checks every key,
 * name and tag of every definition a source reads, and a {@code Matcher} per check was a fifth of
 * what validating a flag allocated.
 */
final class NameSyntax {
    private final boolean[] first;
    private final boolean[] rest;
    private final int maxLength;

    /**
     * @param first the characters allowed first, as in a regex class without brackets ({@code
     *     "a-z0-9"}: ranges, then single characters; a {@code '-'} last is itself)
     * @param rest the characters allowed after the first, spelled the same way
     */
    NameSyntax(String first, String rest, int maxLength) {
        this.first = table(first);
        this.rest = table(rest);
        this.maxLength = maxLength;
    }

    private static boolean[] table(String spec) {
        boolean[] allowed = new boolean[128];
        for (int i = 0; i < spec.length(); i++) {
            char from = spec.charAt(i);
            char to = from;
            if (i + 2 < spec.length() && spec.charAt(i + 1) == '-') {
                to = spec.charAt(i + 2);
                i += 2;
            }
            for (char c = from; c <= to; c++) {
                allowed[c] = true;
            }
        }
        return allowed;
    }

    /** Whether {@code s} has this syntax. */
    boolean matches(String s) {
        int n = s.length();
        if (n == 0 || n > maxLength || !allowed(first, s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            if (!allowed(rest, s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allowed(boolean[] table, char c) {
        return c < table.length && table[c];
    }
}
