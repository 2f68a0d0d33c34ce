package io.flagstore.core.internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * A semantic version (semver.org 2.0.0), ordered by semver precedence: major, minor and patch
 * numerically, a version with a pre-release lower than the same version without one, pre-release
 * identifiers compared field by field (numeric ones numerically and lower than alphanumeric ones,
 * alphanumeric ones in ASCII order, a shorter list lower when all shared fields are equal). Build
 * metadata ({@code +...}) is kept for {@link #toString()} but ignored by {@link #compareTo}, {@link
 * #equals} and {@link #hashCode}, as semver requires.
 *
 * <p>Leniency: {@code "1"} and {@code "1.2"} are read as {@code 1.0.0} and {@code 1.2.0}. No leading
 * {@code v}, no leading zeros in numeric parts.
 *
 * <p>Implementation notes: shared by the validator (to report bad clause values) and the evaluator
 * (which parses clause values once at compile time and context attributes per evaluation, hence
 * {@link #tryParse} that does not throw). Immutable and thread-safe.
 */
public final class SemVer implements Comparable<SemVer> {
    private final long major;
    private final long minor;
    private final long patch;
    private final String[] preRelease;
    private final String build;

    private SemVer(long major, long minor, long patch, String[] preRelease, String build) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.preRelease = preRelease;
        this.build = build;
    }

    /**
     * Parses a version.
     *
     * @param text the version, such as {@code 1.2.3-rc.1+build.5} or {@code 1.2}
     * @return the version, never {@code null}
     * @throws IllegalArgumentException naming what is wrong, if {@code text} is not a version
     * @throws NullPointerException if {@code text} is null
     */
    public static SemVer parse(String text) {
        Objects.requireNonNull(text, "text");
        String problem = problem(text);
        if (problem != null) {
            throw new IllegalArgumentException("'" + text + "' is not a semantic version: " + problem);
        }
        return build(text);
    }

    /**
     * Parses a version without throwing.
     *
     * @param text the version, or {@code null}
     * @return the version, or {@code null} when {@code text} is null or not a version
     */
    public static SemVer tryParse(String text) {
        return text == null || problem(text) != null ? null : build(text);
    }

    /** Why {@code text} is not a version, or {@code null} when it is one. */
    private static String problem(String text) {
        if (text.isEmpty()) {
            return "empty";
        }
        int plus = text.indexOf('+');
        String main = plus < 0 ? text : text.substring(0, plus);
        if (plus >= 0) {
            String identifierProblem = identifiersProblem(text.substring(plus + 1), "build metadata", false);
            if (identifierProblem != null) {
                return identifierProblem;
            }
        }
        int dash = main.indexOf('-');
        String core = dash < 0 ? main : main.substring(0, dash);
        if (dash >= 0) {
            String identifierProblem = identifiersProblem(main.substring(dash + 1), "pre-release", true);
            if (identifierProblem != null) {
                return identifierProblem;
            }
        }
        String[] parts = core.split("\\.", -1);
        if (parts.length > 3) {
            return "expected MAJOR.MINOR.PATCH";
        }
        for (String part : parts) {
            if (!isNumeric(part)) {
                return "expected MAJOR.MINOR.PATCH with non-negative integers, got '" + part + "'";
            }
            if (part.length() > 1 && part.charAt(0) == '0') {
                return "leading zero in '" + part + "'";
            }
            if (part.length() > 18) {
                return "number too large: '" + part + "'";
            }
        }
        return null;
    }

    private static String identifiersProblem(String text, String what, boolean numericWithoutLeadingZero) {
        for (String id : text.split("\\.", -1)) {
            if (id.isEmpty()) {
                return "empty " + what + " identifier";
            }
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-')) {
                    return "invalid character '" + c + "' in " + what;
                }
            }
            if (numericWithoutLeadingZero && isNumeric(id) && id.length() > 1 && id.charAt(0) == '0') {
                return "leading zero in " + what + " identifier '" + id + "'";
            }
        }
        return null;
    }

    private static SemVer build(String text) {
        int plus = text.indexOf('+');
        String main = plus < 0 ? text : text.substring(0, plus);
        String build = plus < 0 ? null : text.substring(plus + 1);
        int dash = main.indexOf('-');
        String core = dash < 0 ? main : main.substring(0, dash);
        String[] pre = dash < 0 ? new String[0] : main.substring(dash + 1).split("\\.");
        String[] parts = core.split("\\.");
        long major = Long.parseLong(parts[0]);
        long minor = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
        long patch = parts.length > 2 ? Long.parseLong(parts[2]) : 0;
        return new SemVer(major, minor, patch, pre, build);
    }

    private static boolean isNumeric(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Compares by semver precedence (build metadata ignored). */
    @Override
    public int compareTo(SemVer other) {
        int c = Long.compare(major, other.major);
        if (c == 0) {
            c = Long.compare(minor, other.minor);
        }
        if (c == 0) {
            c = Long.compare(patch, other.patch);
        }
        if (c != 0) {
            return c;
        }
        if (preRelease.length == 0 || other.preRelease.length == 0) {
            // a release ranks above its pre-releases
            return Integer.compare(other.preRelease.length == 0 ? 0 : 1, preRelease.length == 0 ? 0 : 1);
        }
        for (int i = 0; i < Math.min(preRelease.length, other.preRelease.length); i++) {
            c = compareIdentifier(preRelease[i], other.preRelease[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(preRelease.length, other.preRelease.length);
    }

    private static int compareIdentifier(String a, String b) {
        boolean aNum = isNumeric(a);
        boolean bNum = isNumeric(b);
        if (aNum && bNum) {
            // no leading zeros, so longer means larger; avoids overflow on huge identifiers
            int c = Integer.compare(a.length(), b.length());
            return c != 0 ? c : a.compareTo(b);
        }
        if (aNum != bNum) {
            return aNum ? -1 : 1;
        }
        return a.compareTo(b);
    }

    /** The major version. */
    public long major() {
        return major;
    }

    /** The minor version (0 when absent from the text). */
    public long minor() {
        return minor;
    }

    /** The patch version (0 when absent from the text). */
    public long patch() {
        return patch;
    }

    /** Whether this is a pre-release (has a {@code -...} part). */
    public boolean isPreRelease() {
        return preRelease.length > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SemVer other && compareTo(other) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(major, minor, patch, Arrays.hashCode(preRelease));
    }

    /** The normalised text, such as {@code 1.2.0-rc.1+build.5} for {@code 1.2-rc.1+build.5}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder()
                .append(major)
                .append('.')
                .append(minor)
                .append('.')
                .append(patch);
        if (preRelease.length > 0) {
            sb.append('-').append(String.join(".", preRelease));
        }
        if (build != null) {
            sb.append('+').append(build);
        }
        return sb.toString();
    }
}
