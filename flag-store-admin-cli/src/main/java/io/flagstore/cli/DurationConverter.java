package io.flagstore.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations the way operators type them: {@code 10s}, {@code 500ms}, {@code 2m}, or seconds;
 * at most {@link #MAX} (a longer timeout is a typo, and would overflow the clock arithmetic).
 */
final class DurationConverter implements ITypeConverter<Duration> {
    static final Duration MAX = Duration.ofHours(24);

    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        Matcher m = FORMAT.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration; use for example 10s, 500ms or 2m");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis =
                switch (unit) {
                    case "ms" -> amount;
                    case "m" -> amount * 60_000;
                    case "h" -> amount * 3_600_000;
                    default -> amount * 1000;
                };
        if (millis > MAX.toMillis()) {
            throw new TypeConversionException("'" + value + "' is too long; at most 24h");
        }
        return Duration.ofMillis(Math.round(millis));
    }
}
