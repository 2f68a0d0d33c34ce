package io.flagstore.cli;

import io.flagstore.core.model.WeightedVariant;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for operator-typed values; failures are usage errors naming the value. */
final class Converters {
    private Converters() {}

    /** {@code on=25} to a rollout slice. */
    static final class Weight implements ITypeConverter<WeightedVariant> {
        @Override
        public WeightedVariant convert(String value) {
            try {
                return Values.weight(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A date or ISO-8601 instant. */
    static final class Time implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Values.instant(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --at}: an ISO-8601 instant, or a time relative to now: {@code +90s}, {@code +30m}, {@code +2h}, {@code +1d}. */
    static final class At implements ITypeConverter<Instant> {
        private static final Pattern RELATIVE = Pattern.compile("\\+(\\d{1,9})(s|m|h|d)");

        @Override
        public Instant convert(String value) {
            Matcher m = RELATIVE.matcher(value.trim());
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                ChronoUnit unit =
                        switch (m.group(2)) {
                            case "s" -> ChronoUnit.SECONDS;
                            case "m" -> ChronoUnit.MINUTES;
                            case "h" -> ChronoUnit.HOURS;
                            default -> ChronoUnit.DAYS;
                        };
                return Instant.now().plus(Duration.of(amount, unit));
            }
            try {
                return Instant.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value
                        + "' is not a time: use an ISO-8601 instant (2026-12-01T09:00:00Z) or +90s, +30m, +2h, +1d");
            }
        }
    }
}
