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
        return read(text, true);
    }

    /**
     * Parses a version without throwing.
     *
     * @param text the version, or {@code null}
     * @return the version, or {@code null} when {@code text} is null or not a version
     */
    public static SemVer tryParse(String text) {
        return text == null ? null : read(text, false);
    }

    /** Parses {@code text}; when it is not a version, throws or returns null as asked. */
    private static SemVer read(String text, boolean throwing) {
        int plus = text.indexOf('+');
        String main = plus < 0 ? text : text.substring(0, plus);
        int dash = main.indexOf('-');
        String[] parts = (dash < 0 ? main : main.substring(0, dash)).split("\\.", -1);
        String problem = text.isEmpty()
                ? "empty"
                : plus >= 0 ? identifiersProblem(text.substring(plus + 1), "build metadata", false) : null;
        if (problem == null && dash >= 0) {
            problem = identifiersProblem(main.substring(dash + 1), "pre-release", true);
        }
        if (problem == null && parts.length > 3) {
            problem = "expected MAJOR.MINOR.PATCH";
        }
        for (int i = 0; problem == null && i < parts.length; i++) {
            problem = numberProblem(parts[i]);
        }
        if (problem != null) {
            if (throwing) {
                throw new IllegalArgumentException("'" + text + "' is not a semantic version: " + problem);
            }
            return null;
        }
        return new SemVer(
                Long.parseLong(parts[0]),
                parts.length > 1 ? Long.parseLong(parts[1]) : 0,
                parts.length > 2 ? Long.parseLong(parts[2]) : 0,
                dash < 0 ? new String[0] : main.substring(dash + 1).split("\\."),
                plus < 0 ? null : text.substring(plus + 1));
    }

    private static String numberProblem(String part) {
        if (!isNumeric(part)) {
            return "expected MAJOR.MINOR.PATCH with non-negative integers, got '" + part + "'";
        }
        if (part.length() > 1 && part.charAt(0) == '0') {
            return "leading zero in '" + part + "'";
        }
        return part.length() > 18 ? "number too large: '" + part + "'" : null;
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
